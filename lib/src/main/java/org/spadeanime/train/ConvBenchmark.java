package org.spadeanime.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.spadeanime.TorchScript;
import org.spadeanime.metrics.Stats;

/**
 * Forward + backward times of one 2-D convolution in the layouts a CPU could run faster than the
 * kit's float32 NCHW: bfloat16 (AVX512-BF16 CPUs have bf16 dot products) and channels-last (NHWC
 * strides, oneDNN's native layout), for the {@code bench-conv} command. DJL can make neither (its
 * bfloat16 cast aborts the JVM), so a TorchScript module sets the layout, as autocast and
 * channels_last would, and returns float32 NCHW (lib/src/main/python/make_conv_layouts.py). Every
 * layout runs through that module and is timed interleaved with the float32 NCHW reference in the
 * same process, so the ratios hold on a loaded machine too.
 */
public final class ConvBenchmark {

    /** The layouts timed. */
    public enum Layout {
        // in the order of the module's modes 0..3
        FP32_NCHW, BF16_NCHW, FP32_CHANNELS_LAST, BF16_CHANNELS_LAST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A convolution: batch, input channels, output channels, square size, kernel, dilation (padding
     * keeps the size, as in the kit's 3×3 and atrous layers).
     */
    public record ConvShape(int batch, int in, int out, int size, int kernel, int dilation) {

        /** "4x64x32²→64 k3 d1". */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%dx%d²→%d k%d d%d", batch, in, size, out, kernel, dilation);
        }

        /** Parses "BATCHxINxSIZE:OUT:KERNEL[:DILATION]", e.g. 4x64x32:64:3. */
        public static ConvShape parse(String s) {
            try {
                String[] parts = s.trim().split(":");
                String[] bcs = parts[0].split("x");
                return new ConvShape(Integer.parseInt(bcs[0]), Integer.parseInt(bcs[1]), Integer.parseInt(parts[1]),
                        Integer.parseInt(bcs[2]), Integer.parseInt(parts[2]),
                        parts.length > 3 ? Integer.parseInt(parts[3]) : 1);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("convolution '" + s
                        + "': expected BATCHxCHANNELSxSIZE:OUT:KERNEL[:DILATION], e.g. 4x64x32:64:3");
            }
        }
    }

    /**
     * Median ms per forward + backward of each layout, and its largest difference from float32 NCHW,
     * relative to the largest value: of the output or of the input gradient, whichever is larger.
     */
    public record Result(ConvShape shape, double[] medianMs, double[] maxRelativeError) {

        public double ratio(Layout l) {
            return medianMs[l.ordinal()] / medianMs[Layout.FP32_NCHW.ordinal()];
        }
    }

    private ConvBenchmark() {}

    /**
     * Times the layouts (float32 NCHW always, first) on {@code shape}: {@code warmup} untimed rounds,
     * then {@code reps} interleaved ones. A layout not timed has NaN.
     */
    public static Result time(ConvShape shape, Device device, Set<Layout> timed, int warmup, int reps) {
        Layout[] layouts = Stream.of(Layout.values()).filter(l -> l == Layout.FP32_NCHW || timed.contains(l))
                .toArray(Layout[]::new);
        double[] medians = new double[Layout.values().length];
        double[] error = new double[Layout.values().length];
        Arrays.fill(medians, Double.NaN);
        Arrays.fill(error, Double.NaN);
        double[][] ms = new double[Layout.values().length][reps];
        try (Model module = TorchScript.load("conv-layouts", "/org/spadeanime/train/conv_layouts.pt");
                NDManager manager = NDManager.newBaseManager(device)) {
            manager.getEngine().setRandomSeed(1);
            NDArray x = manager.randomNormal(new Shape(shape.batch(), shape.in(), shape.size(), shape.size()));
            NDArray w = manager.randomNormal(0, (float) Math.sqrt(2.0 / (shape.in() * shape.kernel() * shape.kernel())),
                    new Shape(shape.out(), shape.in(), shape.kernel(), shape.kernel()), DataType.FLOAT32);
            NDList reference = null;
            for (int i = 0; i < warmup + reps; i++) {
                for (Layout l : layouts) {
                    try (NDManager step = manager.newSubManager()) {
                        long t0 = System.nanoTime();
                        NDList yAndGradient = forwardBackward(module, step, shape, x, w, l);
                        double elapsed = (System.nanoTime() - t0) / 1e6;
                        if (i >= warmup) {
                            ms[l.ordinal()][i - warmup] = elapsed;
                        }
                        if (i == warmup) {
                            if (l == Layout.FP32_NCHW) {
                                reference = new NDList(yAndGradient.get(0).duplicate(), yAndGradient.get(1).duplicate());
                                reference.attach(manager);
                            }
                            error[l.ordinal()] = Math.max(relativeError(yAndGradient.get(0), reference.get(0)),
                                    relativeError(yAndGradient.get(1), reference.get(1)));
                        }
                    }
                }
            }
        }
        for (Layout l : layouts) {
            medians[l.ordinal()] = Stats.median(ms[l.ordinal()]);
        }
        return new Result(shape, medians, error);
    }

    private static double relativeError(NDArray a, NDArray reference) {
        return a.sub(reference).abs().max().getFloat() / reference.abs().max().getFloat();
    }

    /**
     * One convolution in the layout and the backward of (output · a fixed pattern) into the input and
     * the weight; returns the output and the input gradient.
     */
    private static NDList forwardBackward(Model module, NDManager step, ConvShape s, NDArray x0, NDArray w0, Layout l) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.attach(step);
        w.attach(step);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = TorchScript.forward(module, step, new NDList(x, w, step.create((long) l.ordinal()),
                    step.create((long) s.dilation()))).singletonOrThrow();
            // a sum's gradient would be the same for every output; a pattern makes the input gradient a real test
            collector.backward(y.mul(step.arange((float) y.size()).reshape(y.getShape()).mod(7f).sub(3f)).sum());
            return new NDList(y, x.getGradient());
        }
    }
}
