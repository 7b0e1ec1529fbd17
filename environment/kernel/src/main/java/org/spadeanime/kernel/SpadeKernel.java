package org.spadeanime.kernel;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The kit's Java kernel: JJava's Jupyter protocol implementation around a {@link CellEvaluator}. Adds
 * live output (stdout and stderr are flushed to the notebook every {@link #FLUSH_MILLIS} ms while a cell
 * runs, so a progress line without a newline shows up), interrupts in message mode, and plain-text
 * tracebacks that point at cell lines. A cell's System.out/err buffer between those flushes: JJava's own
 * streams send a stream message per write, which splits one printf into a saved output per piece.
 */
public final class SpadeKernel extends BaseKernel {

    /** How often a running cell's output is flushed to the notebook. */
    static final long FLUSH_MILLIS = 100;

    private static final LanguageInfo JAVA = new LanguageInfo.Builder("Java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("java")
            .build();

    private final CellEvaluator evaluator;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notebook-output-flush");
        t.setDaemon(true);
        return t;
    });

    private final PrintStream cellOut;
    private final PrintStream cellErr;

    public SpadeKernel(CellEvaluator evaluator) {
        super("spade-java", version(), JAVA,
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/"),
                        new HelpLink("DJL API", "https://javadoc.io/doc/ai.djl/api/latest/index.html")),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new NotebookRenderer(),
                null, new MagicsRegistry(), false, new StringStyler.Builder().build());
        this.evaluator = evaluator;
        this.cellOut = buffered(io.out);
        this.cellErr = buffered(io.err);
    }

    /** No autoflush, so that only {@link #flushOutput()} sends; a printf holds the stream's lock throughout. */
    private static PrintStream buffered(PrintStream jupyter) {
        return new PrintStream(new BufferedOutputStream(jupyter, 1 << 16), false, StandardCharsets.UTF_8);
    }

    private static String version() {
        String v = SpadeKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Runs the kernel for Jupyter: the only argument is the connection file Jupyter wrote. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp 'KERNEL_DIR/lib/*' " + SpadeKernel.class.getName() + " CONNECTION_FILE"
                    + "\n(Jupyter starts the kernel this way; install it with environment/install-kernel.sh)");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("spade-kernel: connection file " + connectionFile + " does not exist");
            System.exit(2);
        }
        JupyterConnection connection = new JupyterConnection(
                KernelConnectionProperties.parse(Files.readString(connectionFile)));
        SpadeKernel kernel = new SpadeKernel(new CellEvaluator());
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        // Threads that notebook code started must not keep the JVM alive after Jupyter shut the kernel down.
        System.exit(0);
    }

    @Override
    public Object evalRaw(String source) {
        // handleExecuteRequest has already counted this cell; it runs one cell at a time.
        return evaluator.eval(source, "In [" + (executionCount.get() - 1) + "]");
    }

    @Override
    public DisplayData eval(String source) {
        ScheduledFuture<?> live = flusher.scheduleWithFixedDelay(this::flushOutput, FLUSH_MILLIS, FLUSH_MILLIS,
                TimeUnit.MILLISECONDS);
        try {
            return super.eval(source);
        } finally {
            live.cancel(false);
            flushOutput(); // before the result or error is published, so the notebook keeps the order
        }
    }

    @Override
    public void display(DisplayData data) {
        flushOutput(); // text printed before a display() stays above it
        super.display(data);
    }

    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        super.replaceOutputStreams(env); // keeps the JVM's streams and restores them after the cell
        System.setOut(cellOut);
        System.setErr(cellErr);
    }

    private void flushOutput() {
        cellOut.flush();
        cellErr.flush();
    }

    @Override
    public List<String> formatError(Throwable e) {
        return e instanceof CellError ce ? ce.traceback() : super.formatError(e);
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return evaluator.complete(code, at);
    }

    @Override
    public String isComplete(String code) {
        return evaluator.isComplete(code);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = evaluator.documentation(code, at);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        flusher.shutdownNow();
        evaluator.close();
    }
}
