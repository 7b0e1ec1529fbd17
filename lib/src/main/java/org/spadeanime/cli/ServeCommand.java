package org.spadeanime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.serve.StudioServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: the web studio for a trained generator. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the web studio: paint a label map in the browser (brush, fill, eraser, hair colour, "
                + "seed) and see the generator's illustration beside it. Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--from", paramLabel = "PATH", required = true,
            description = "a weights folder (e.g. weights/tiny), a run folder (its newest checkpoint) or a checkpoint folder")
    Path from;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to bind (default ${DEFAULT-VALUE}: this machine only)")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (0: any free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--palette", paramLabel = "FILE", description = "label palette JSON (default: palette.json in "
            + "--from, else in the run's data folder, else the anime palette)")
    Path palette;

    @Option(names = "--queue", defaultValue = "8", description = "generations that may wait; more get 503 (default ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--timeout", defaultValue = "30", description = "seconds a generation may wait and run (default ${DEFAULT-VALUE})")
    double timeout;

    @CommandLine.Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (queue < 1 || timeout <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--queue must be >= 1 and --timeout > 0");
        }
        engine.applyThreads();
        StudioServer.Limits d = StudioServer.Limits.defaults();
        StudioServer server = StudioServer.start(from, palette == null ? null : LabelPalette.load(palette), host, port,
                engine.device, new StudioServer.Limits(d.maxBodyBytes(), queue, Math.round(timeout * 1000), d.maxUnmatched()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        spec.commandLine().getOut().println("web studio for the " + server.trained() + " at " + server.uri()
                + " (Ctrl-C stops it)");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
