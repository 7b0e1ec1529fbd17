package org.spadeanime.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.DjlRuntime;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.train.ForwardBenchmark;
import org.spadeanime.train.StepBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-forward}: median forward times of the generator and the discriminator after
 * warm-up, training mode and inference mode ({@link ForwardBenchmark}), per preset.
 */
@Command(name = "bench-forward", mixinStandardHelpOptions = true,
        description = {"Median forward time of G and D (training mode, and inference mode as the "
                + "reference) after warm-up, per model preset."})
public final class BenchForwardCommand implements Callable<Integer> {

    @Option(names = "--preset", split = ",", defaultValue = "tiny,mid",
            description = "presets to time: tiny (64², ngf = ndf = 8), cpu128 (128², ngf = ndf = 16, no mapping "
                    + "network, reflect padding), mid (128², ngf = ndf = 32), "
                    + "paper (256², ngf = ndf = 64) (default ${DEFAULT-VALUE})")
    List<String> presets;

    @Option(names = "--options", description = "also time the model of this options JSON file")
    Path optionsFile;

    @Option(names = "--threads", defaultValue = "0",
            description = "intra-op threads of the engine; 0 = its default, the number of cores. "
                    + "On a CPU shared with other jobs, 1 avoids OpenMP spin contention (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batch", defaultValue = "1", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup", defaultValue = "10", description = "untimed forwards first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--reps", defaultValue = "30", description = "timed forwards per measure (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE})")
    String device;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A named configuration to time. */
    record Preset(String name, ModelOptions options) {}

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || warmup < 0 || reps < 1 || threads < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "expected --batch >= 1, --warmup >= 0, --reps >= 1, --threads >= 0");
        }
        List<Preset> runs = new ArrayList<>();
        for (String p : presets) {
            runs.add(preset(p.trim().toLowerCase(Locale.ROOT)));
        }
        if (optionsFile != null) {
            runs.add(new Preset(optionsFile.getFileName().toString(), ModelOptions.fromJson(optionsFile)));
        }
        DjlRuntime.threads(threads);
        Device dev = DjlRuntime.device(device);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench-forward: device %s, intra-op threads %s, batch %d, %d warm-up + %d "
                + "timed forwards, median ms%n", dev, System.getProperty("ai.djl.pytorch.num_threads", "default"),
                batch, warmup, reps);
        out.printf(Locale.ROOT, "%-34s %9s %9s %9s %9s %9s %9s %9s%n", "preset", "G train", "D train",
                "G+D", "G eval", "D eval", "G t/e", "D t/e");
        for (Preset p : runs) {
            ForwardBenchmark.Timings ms = ForwardBenchmark.time(p.options(), dev, batch, warmup, reps);
            out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", p.name(), ms.gTrain(),
                    ms.dTrain(), ms.gTrain() + ms.dTrain(), ms.gEval(), ms.dEval(), ms.gTrain() / ms.gEval(),
                    ms.dTrain() / ms.dEval());
            out.flush();
        }
        double rss = StepBenchmark.rssMb();
        out.printf(Locale.ROOT, "VmRSS %s MB%n", Double.isNaN(rss) ? "?" : Long.toString((long) rss));
        return 0;
    }

    private Preset preset(String name) {
        ModelOptions o;
        try {
            o = ModelOptions.preset(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--preset " + name + ": expected tiny, cpu128, mid or paper");
        }
        return new Preset(String.format(Locale.ROOT, "%s (%d², ngf %d, ndf %d)", name, o.resolution(), o.ngf(), o.ndf()), o);
    }
}
