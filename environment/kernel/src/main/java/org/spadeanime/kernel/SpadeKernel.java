package org.spadeanime.kernel;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

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

    /**
     * language_info as kernel_info_reply sends it. The notebook server copies it into a notebook's metadata
     * on opening and marks the notebook changed if it differs, so the committed notebooks carry exactly
     * this ({@code KernelProtocolIT} checks): the name is kernel.json's language, and the version is the
     * Java release the kit is written for, not the JDK build, which differs between machines.
     */
    static final String LANGUAGE_VERSION = "17";

    private static final LanguageInfo JAVA = new LanguageInfo.Builder("java")
            .version(LANGUAGE_VERSION)
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
    private final InputHistory history = new InputHistory();
    /** The running cell's reply environment, for clearOutput; null between cells. */
    private volatile ShellReplyEnvironment cellEnv;
    /** The text/plain of the running cell's result, for the history; null when it has none. */
    private String cellResult;

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
            DisplayData out = super.eval(source);
            cellResult = out == null ? null : (String) out.getData(MIMEType.TEXT_PLAIN);
            return out;
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
        cellEnv = env;
        env.defer(() -> cellEnv = null);
    }

    /**
     * Clears the running cell's output (a clear_output message); with {@code wait}, only when the next
     * output arrives, so that a cell that redraws does not flicker. Does nothing outside a cell.
     */
    public void clearOutput(boolean wait) {
        ShellReplyEnvironment env = cellEnv;
        if (env != null) {
            flushOutput(); // text printed before the clear is cleared with it
            env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** Runs a cell; records it in the history, and answers {@code name?} / {@code name??} with a page. */
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean record = request.shouldStoreHistory() && !request.isSilent();
        String strip = code.strip();
        if (strip.endsWith("?") && !strip.contains("\n")) {
            boolean detail = strip.endsWith("??");
            String name = strip.substring(0, strip.length() - (detail ? 2 : 1)).strip();
            if (!name.isEmpty() && !name.contains("?")) {
                page(env, code, name, detail, record);
                return;
            }
        }
        cellResult = null;
        int count = executionCount.get();
        super.handleExecuteRequest(env, message);
        if (record) {
            history.add(count, code, cellResult);
        }
    }

    /** IJava's pager: the reply's payload holds the documentation of the name; nothing runs. */
    private void page(ShellReplyEnvironment env, String code, String name, boolean detail, boolean record) {
        int count = executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(code, count));
        List<String> docs = evaluator.documentation(name, name.length(), detail);
        if (docs.isEmpty()) { // a method name: JShell documents it after its parenthesis
            docs = evaluator.documentation(name + "(", name.length() + 1, detail);
        }
        String text = docs.isEmpty() ? "no documentation found for " + name : String.join("\n\n", docs);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("source", "page");
        page.put("data", Map.of("text/plain", text));
        page.put("start", 0);
        reply(env, MessageType.EXECUTE_REPLY, Map.of("execution_count", count, "payload", List.of(page),
                "user_expressions", Map.of()));
        if (record) {
            history.add(count, code, null);
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("protocol_version", Header.PROTOCOL_VERISON);
        info.put("implementation", name);
        info.put("implementation_version", version);
        info.put("language_info", getLanguageInfo());
        info.put("banner", getBanner());
        info.put("help_links", getHelpLinks());
        reply(env, MessageType.KERNEL_INFO_REPLY, info);
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        HistoryRequest request = message.getContent();
        boolean output = request.includeOutput();
        List<List<Object>> entries = switch (request.getAccessType()) {
            case TAIL -> history.tail(((HistoryRequest.Tail) request).getMaxReturnLength(), output);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield history.range(r.getSessionIndex(), r.getStart(), r.getStop(), output);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                yield history.search(s.getPattern(), s.getMaxReturnLength(), s.filterUnique(), output);
            }
        };
        reply(env, MessageType.HISTORY_REPLY, Map.of("history", entries));
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer();
        reply(env, MessageType.SHUTDOWN_REPLY, Map.of("restart", restart));
        onShutdown(restart);
        env.resolveDeferrals(); // the reply and idle go out before the connection closes
        env.markForShutdown();
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        interrupt();
        reply(env, MessageType.INTERRUPT_REPLY, Map.of());
    }

    // JJava's replies to kernel_info, shutdown, interrupt and comm_info lack the "status" the protocol
    // requires, and it leaves history_request unanswered without a HistoryManager.
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    private void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        env.setBusyDeferIdle();
        String target = message.getContent().getTargetName();
        Map<String, Object> comms = new LinkedHashMap<>();
        commManager.forEach(c -> {
            if (target == null || target.equals(c.getTargetName())) {
                comms.put(c.getID(), Map.of("target_name", c.getTargetName()));
            }
        });
        reply(env, MessageType.COMM_INFO_REPLY, Map.of("comms", comms));
    }

    /** Sends an "ok" reply: JJava's reply classes for these lack the status field. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void reply(ShellReplyEnvironment env, MessageType<?> type, Map<String, Object> content) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", "ok");
        c.putAll(content);
        env.reply(new Message(env.getContext(), type, c));
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
        List<String> docs = evaluator.documentation(code, at, true);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        flusher.shutdownNow();
        evaluator.close();
    }
}
