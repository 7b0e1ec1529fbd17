package org.spadeanime.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.DjlRuntime;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.PatchDiscriminator;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.model.SpadeNetwork;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-forward}: median forward times of the generator and the discriminator after
 * warm-up. Training-mode forwards (batch statistics, one spectral-norm power iteration, noise) are
 * what a training step runs; the reference run in the same process is the inference-mode forward
 * of the same network, so the "train/eval" ratio is the cost of training mode itself.
 */
@Command(name = "bench-forward", mixinStandardHelpOptions = true,
        description = {"Median forward time of G and D (training mode, and inference mode as the "
                + "reference) after warm-up, per model preset."})
public final class BenchForwardCommand implements Callable<Integer> {

    @Option(names = "--preset", split = ",", defaultValue = "tiny,mid",
            description = "presets to time: tiny (64², ngf = ndf = 8), mid (128², ngf = ndf = 32), "
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
            double[] ms = time(p.options(), dev);
            out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", p.name(), ms[0], ms[1],
                    ms[0] + ms[1], ms[2], ms[3], ms[0] / ms[2], ms[1] / ms[3]);
            out.flush();
        }
        out.printf(Locale.ROOT, "VmRSS %s MB%n", rssMb());
        return 0;
    }

    private Preset preset(String name) {
        return switch (name) {
            case "tiny" -> new Preset("tiny (64², ngf 8, ndf 8)", ModelOptions.tiny());
            case "mid" -> new Preset("mid (128², ngf 32, ndf 32)",
                    ModelOptions.paper().withResolution(128).withNgf(32).withNdf(32));
            case "paper" -> new Preset("paper (256², ngf 64, ndf 64)", ModelOptions.paper());
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--preset " + name + ": expected tiny, mid or paper");
        };
    }

    /** Median ms of: G train, D train, G eval, D eval. */
    private double[] time(ModelOptions o, Device dev) {
        try (NDManager model = NDManager.newBaseManager(dev)) {
            ParameterStore ps = new ParameterStore(model, false);
            SpadeGenerator g = new SpadeGenerator(o);
            g.initialize(model);
            PatchDiscriminator d = new PatchDiscriminator(o);
            d.initialize(model);
            Shape[] shapes = o.discriminatorInputShapes(batch);
            NDList base = new NDList();
            for (Shape s : shapes) {
                base.add(model.randomUniform(0f, 1f, s));
            }
            for (int i = 0; i < warmup; i++) {
                forward(model, ps, g, base, true);
                forward(model, ps, d, base, true);
            }
            double[] result = new double[4];
            int k = 0;
            for (boolean training : new boolean[] {true, false}) {
                double[] gMs = new double[reps];
                double[] dMs = new double[reps];
                for (int i = 0; i < reps; i++) {
                    gMs[i] = forward(model, ps, g, base, training);
                    dMs[i] = forward(model, ps, d, base, training);
                }
                result[k++] = median(gMs);
                result[k++] = median(dMs);
            }
            return result;
        }
    }

    /** One timed forward on fresh copies of the inputs in a per-step manager; returns ms. */
    private static double forward(NDManager model, ParameterStore ps, SpadeNetwork net, NDList base,
            boolean training) {
        try (NDManager step = model.newSubManager()) {
            NDList in = new NDList();
            // G takes (label, condition); D takes (label, image, condition)
            int[] pick = net instanceof SpadeGenerator ? new int[] {0, 2} : new int[] {0, 1, 2};
            for (int i : pick) {
                NDArray a = base.get(i).duplicate();
                a.attach(step);
                in.add(a);
            }
            long t0 = System.nanoTime();
            NDList out = net.forward(ps, in, training);
            if (out.head().getDevice().isGpu()) {
                out.head().sum().getFloat(); // wait for the kernels
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String rssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.toString(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
        }
        return "?";
    }
}
