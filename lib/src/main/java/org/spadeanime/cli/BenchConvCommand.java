package org.spadeanime.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.CpuInfo;
import org.spadeanime.DjlRuntime;
import org.spadeanime.TorchBackends;
import org.spadeanime.train.ConvBenchmark;
import org.spadeanime.train.ConvBenchmark.ConvShape;
import org.spadeanime.train.ConvBenchmark.Layout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-conv}: whether bfloat16 or channels-last convolutions would make training faster on
 * this CPU ({@link ConvBenchmark}), on the convolutions that dominate the {@code cpu128} preset.
 */
@Command(name = "bench-conv", mixinStandardHelpOptions = true,
        description = {"Times one convolution's forward + backward in float32 NCHW (the kit's), bfloat16, channels-last "
                + "and both, interleaved in one process, and prints each one's time ratio to float32 NCHW and its largest "
                + "difference from it (output or input gradient, relative to the largest value). "
                + "Convolutions run on the backend the kit picked (see doctor); --onednn on|off forces one for the measurement."})
public final class BenchConvCommand implements Callable<Integer> {

    /**
     * The cpu128 generator's 3×3 convolutions at batch 4, from 128² down: a residual block's (8, 16, ... 128
     * channels) and SPADE's γ / β from the 5-class label (no mapping network in cpu128).
     */
    static final String CPU128_SHAPES = "4x8x128:8:3,4x5x128:8:3,4x16x64:16:3,4x5x64:16:3,4x32x32:32:3,"
            + "4x64x16:64:3,4x128x8:128:3";

    @Option(names = "--conv", split = ",", defaultValue = CPU128_SHAPES,
            description = "convolutions, BATCHxCHANNELSxSIZE:OUT:KERNEL[:DILATION] (default ${DEFAULT-VALUE})")
    List<String> convs;

    @Option(names = "--layouts", split = ",", defaultValue = "BF16_NCHW,FP32_CHANNELS_LAST,BF16_CHANNELS_LAST",
            description = "layouts to compare with FP32_NCHW: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    java.util.Set<Layout> layouts;

    @Option(names = "--threads", defaultValue = "0",
            description = "intra-op threads of the engine; 0 = its default, the number of cores (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed rounds first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--reps", defaultValue = "20", description = "timed rounds (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--onednn", description = "on or off: the convolution backend for the measurement (default: the kit's choice)")
    String oneDnn;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (threads < 0 || warmup < 0 || reps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --threads >= 0, --warmup >= 0, --reps >= 1");
        }
        List<ConvShape> shapes;
        try {
            shapes = convs.stream().map(ConvShape::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--conv: " + e.getMessage());
        }
        if (oneDnn != null && !oneDnn.equals("on") && !oneDnn.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--onednn " + oneDnn + ": expected on or off");
        }
        DjlRuntime.threads(threads);
        DjlRuntime.init();
        if (oneDnn != null) {
            TorchBackends.setOneDnn(oneDnn.equals("on"));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench-conv: %s; intra-op threads %s; oneDNN convolutions %s; %d warm-up + %d timed rounds, "
                + "median ms of forward + backward (input and weight gradients)%n", CpuInfo.read().describe(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                TorchBackends.oneDnnEnabled().map(on -> on ? "on" : "off").orElse("unknown"), warmup, reps);
        if (oneDnn != null) {
            out.println("note: the errors compare with this backend's own float32 NCHW; `doctor` says whether its numbers "
                    + "are right on this CPU");
        }
        out.printf(Locale.ROOT, "%-26s %10s", "convolution", "fp32 ms");
        for (Layout l : Layout.values()) {
            if (l != Layout.FP32_NCHW) {
                out.printf(Locale.ROOT, " %22s", l + " (×, err)");
            }
        }
        out.println();
        double[] sums = new double[Layout.values().length];
        for (ConvShape s : shapes) {
            ConvBenchmark.Result r = ConvBenchmark.time(s, Device.cpu(), layouts, warmup, reps);
            out.printf(Locale.ROOT, "%-26s %10.2f", s, r.medianMs()[0]);
            for (Layout l : Layout.values()) {
                sums[l.ordinal()] += r.medianMs()[l.ordinal()];
                if (l != Layout.FP32_NCHW) {
                    out.printf(Locale.ROOT, " %11.2f× %9.1e", r.ratio(l), r.maxRelativeError()[l.ordinal()]);
                }
            }
            out.println();
            out.flush();
        }
        out.printf(Locale.ROOT, "%-26s %10.2f", "all (sum of medians)", sums[0]);
        for (Layout l : Layout.values()) {
            if (l != Layout.FP32_NCHW) {
                out.printf(Locale.ROOT, " %11.2f× %9s", sums[l.ordinal()] / sums[0], "");
            }
        }
        out.println();
        return 0;
    }
}
