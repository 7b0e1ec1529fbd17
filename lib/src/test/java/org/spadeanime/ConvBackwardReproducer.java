package org.spadeanime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The minimal reproducer of the oneDNN defect: conv2d's input gradient in float32, after NaN has
 * been left in the freed heap, against a plain double-precision loop. Shapes whose output channel
 * count is not a multiple of 8 or 16 exposed it (jit:avx512_core / jit:avx2 backward-data reading
 * stale padding); multiples of 16 are controls.
 */
final class ConvBackwardReproducer {

    /** n, in channels, side, out channels, kernel, stride, padding, dilation. */
    static final int[][] SHAPES = {
        {2, 16, 4, 1, 3, 1, 1, 1},   // the patch discriminator's head: 16 -> 1
        {1, 8, 8, 6, 4, 1, 1, 1},
        {2, 3, 8, 6, 3, 1, 3, 3},    // an ASPP branch (dilated)
        {2, 8, 8, 1, 4, 1, 1, 3},
        {2, 3, 8, 6, 4, 2, 1, 1},    // strided
        {2, 16, 8, 6, 3, 1, 1, 1},
        {2, 16, 8, 16, 3, 1, 1, 1},  // control: no padded block
        {2, 8, 8, 16, 4, 2, 1, 1},   // control
    };

    /** One shape's outcome. */
    record Outcome(int[] shape, double inputGradientError) {
        boolean exact() {
            return inputGradientError < 1e-5;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n%d ic%d %dx%d oc%d k%d s%d p%d d%d: input gradient error %.1e",
                    shape[0], shape[1], shape[2], shape[2], shape[3], shape[4], shape[5], shape[6], shape[7],
                    inputGradientError);
        }
    }

    private ConvBackwardReproducer() {}

    static List<Outcome> run(NDManager manager) {
        Random random = new Random(1);
        List<Outcome> out = new ArrayList<>();
        for (int[] c : SHAPES) {
            int n = c[0], ci = c[1], h = c[2], co = c[3], k = c[4], s = c[5], pad = c[6], dil = c[7];
            int oh = (h + 2 * pad - dil * (k - 1) - 1) / s + 1;
            float[] x = gaussian(random, n * ci * h * h);
            float[] w = gaussian(random, co * ci * k * k);
            float[] g = gaussian(random, n * co * oh * oh);
            double[] dx = new double[x.length];
            for (int b = 0; b < n; b++) for (int o = 0; o < co; o++) for (int i = 0; i < oh; i++) for (int j = 0; j < oh; j++) {
                double go = g[((b * co + o) * oh + i) * oh + j];
                for (int cc = 0; cc < ci; cc++) for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) {
                    int yy = i * s - pad + p * dil, xx = j * s - pad + q * dil;
                    if (yy >= 0 && yy < h && xx >= 0 && xx < h) {
                        dx[((b * ci + cc) * h + yy) * h + xx] += go * w[((o * ci + cc) * k + p) * k + q];
                    }
                }
            }
            NumericsCheck.poisonHeap(manager);
            try (NDManager sub = manager.newSubManager()) {
                NDArray xs = sub.create(x, new Shape(n, ci, h, h));
                xs.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Conv2d.conv2d(xs, sub.create(w, new Shape(co, ci, k, k)), null, new Shape(s, s),
                            new Shape(pad, pad), new Shape(dil, dil), 1).head();
                    gc.backward(y.mul(sub.create(g, y.getShape())).sum());
                }
                out.add(new Outcome(c, NumericsCheck.relativeError(xs.getGradient(), sub.create(toFloat(dx), xs.getShape()))));
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
