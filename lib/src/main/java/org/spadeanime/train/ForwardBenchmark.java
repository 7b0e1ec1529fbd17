package org.spadeanime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.spadeanime.metrics.Stats;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.PatchDiscriminator;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.model.SpadeNetwork;

/**
 * Median forward times of the generator and the discriminator after warm-up, for the
 * {@code bench-forward} command. Training-mode forwards (batch statistics, one spectral-norm power
 * iteration, noise) are what a training step runs; the inference-mode forward of the same network
 * is the reference, so train/eval is the cost of training mode itself.
 */
public final class ForwardBenchmark {

    /** Median milliseconds per forward. */
    public record Timings(double gTrain, double dTrain, double gEval, double dEval) {}

    private ForwardBenchmark() {}

    /** Times {@code reps} forwards of each network and mode after {@code warmup} training-mode ones. */
    public static Timings time(ModelOptions o, Device dev, int batch, int warmup, int reps) {
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
                result[k++] = Stats.median(gMs);
                result[k++] = Stats.median(dMs);
            }
            return new Timings(result[0], result[1], result[2], result[3]);
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
}
