package org.spadeanime.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import org.spadeanime.optim.Adam;

/**
 * The gradient that R1 squares, g = ∂D̄/∂image (D̄ = the mean of the patch logits), of a discriminator for one sample, computed
 * two independent ways so that the {@link GradientPenalty} can be checked without trusting autograd:
 * by autograd (one backward) and by central finite differences, (D̄(x + ε·e_i) − D̄(x − ε·e_i)) / 2ε
 * for every image element i (two forwards each, batched). R1's penalty for the sample is then
 * {@link #squaredNorm}(g).
 *
 * <p>Both run D in inference mode: batch norm uses its running statistics (in training mode the
 * statistics of a batch of perturbed copies would differ from the sample's own) and spectral norm
 * its stored vectors. There D is piecewise linear in the image (leaky ReLU, convolutions, affine
 * norms; self-attention's softmax is smooth), so the differences are exact up to float rounding,
 * except where a perturbation crosses a kink of a leaky ReLU. {@code d} is any block taking
 * {@code NDList(label, image, condition)} and returning the logits first, like
 * {@link org.spadeanime.model.PatchDiscriminator}. D's parameter gradients are zeroed afterwards.
 */
public final class InputGradient {

    private InputGradient() {}

    /** g by autograd: one backward of D̄ to the image (shape (1, 3, H, W)), row-major. */
    public static double[] autograd(Block d, NDArray label, NDArray image, NDArray condition) {
        return differentiable(d, label, image, condition, (gc, logits, x) -> {
            try {
                gc.backward(logits.mean());
                return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            } finally {
                Adam.zeroGradients(d);
            }
        });
    }

    /**
     * The penalty P that {@code gp} computes by double backward (its {@link GradientPenalty#penalty}),
     * for D in inference mode at this one input: the value the two gradients above are checked against.
     */
    public static double penalty(GradientPenalty gp, Block d, NDArray label, NDArray image, NDArray condition) {
        return differentiable(d, label, image, condition,
                (gc, logits, x) -> gp.penalty(logits, x).toType(DataType.FLOAT64, false).getDouble());
    }

    /** What runs inside {@link #differentiable}. */
    private interface Step<T> {
        T apply(GradientCollector gc, NDArray logits, NDArray x);
    }

    /**
     * Runs D in inference mode on a copy of the image that requires a gradient, inside a gradient
     * collector, in a sub-manager that frees everything afterwards.
     */
    private static <T> T differentiable(Block d, NDArray label, NDArray image, NDArray condition, Step<T> step) {
        checkSingle(image);
        try (NDManager sub = image.getManager().newSubManager()) {
            sub.tempAttachAll(label, condition);
            NDArray x = image.duplicate();
            x.attach(sub);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = d.forward(new ParameterStore(sub, false), new NDList(label, x, condition), false).head();
                return step.apply(gc, logits, x);
            }
        }
    }

    /**
     * g by central differences with step {@code epsilon}, {@code batch} forwards at a time (each
     * element takes two), in the image's data type (float64 makes the rounding error negligible; see
     * the class comment). Checks for interruption between batches.
     */
    public static double[] finiteDifferences(Block d, NDArray label, NDArray image, NDArray condition,
            double epsilon, int batch) {
        return finiteDifferences(d, label, image, condition, epsilon, batch, done -> { });
    }

    /**
     * {@link #finiteDifferences(Block, NDArray, NDArray, NDArray, double, int)} telling {@code progress}
     * the number of elements done after each batch (of the image's size in all), for a progress line.
     */
    public static double[] finiteDifferences(Block d, NDArray label, NDArray image, NDArray condition,
            double epsilon, int batch, IntConsumer progress) {
        checkSingle(image);
        if (!(epsilon > 0) || batch < 2) {
            throw new IllegalArgumentException("finite differences: epsilon " + epsilon + " must be > 0 and batch "
                    + batch + " >= 2 (two forwards per element)");
        }
        double[] base = image.toType(DataType.FLOAT64, false).toDoubleArray();
        int n = base.length;
        Shape s = image.getShape();
        double[] g = new double[n];
        boolean single = image.getDataType() == DataType.FLOAT32;
        int per = batch / 2;
        try (NDManager whole = image.getManager().newSubManager()) {
            whole.tempAttachAll(label, image, condition);
            // built once: the batch's copies of the inputs (the last, shorter batch takes a slice)
            NDArray copies = image.reshape(1, n).repeat(0, 2L * per);
            NDArray labels = label.repeat(0, 2L * per);
            NDArray conditions = condition.repeat(0, 2L * per);
            for (int start = 0; start < n; start += per) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("finite differences interrupted after " + start + " of " + n + " elements");
                }
                int m = Math.min(per, n - start);
                try (NDManager sub = whole.newSubManager()) {
                    sub.tempAttachAll(copies, labels, conditions);
                    NDIndex rows = new NDIndex("0:{}", 2 * m);
                    NDArray images = copies.get(rows).add(steps(sub, m, n, start, epsilon, image.getDataType()))
                            .reshape(2L * m, s.get(1), s.get(2), s.get(3));
                    NDList in = new NDList(labels.get(rows), images, conditions.get(rows));
                    NDArray logits = d.forward(new ParameterStore(sub, false), in, false).head();
                    double[] means = logits.reshape(2L * m, -1).mean(new int[] {1}).toType(DataType.FLOAT64, false)
                            .toDoubleArray();
                    for (int k = 0; k < m; k++) {
                        // the step the array really holds (x ± ε rounded to float32 is not exactly 2ε apart)
                        double x = base[start + k];
                        double step = single ? (double) (float) (x + epsilon) - (float) (x - epsilon) : 2.0 * epsilon;
                        g[start + k] = (means[2 * k] - means[2 * k + 1]) / step;
                    }
                }
                progress.accept(start + m);
            }
        }
        return g;
    }

    /**
     * The (2m, n) perturbations: row 2k holds +ε and row 2k + 1 holds −ε at element start + k, zero
     * elsewhere (an identity band, built natively).
     */
    private static NDArray steps(NDManager sub, int m, int n, int start, double epsilon, DataType type) {
        NDArray band = sub.eye(m, n - start, 0, type); // DJL's PyTorch eye has no diagonal offset: pad on the left
        if (start > 0) {
            band = sub.zeros(new Shape(m, start), type).concat(band, 1);
        }
        return NDArrays.stack(new NDList(band.mul(epsilon), band.mul(-epsilon)), 1).reshape(2L * m, n);
    }

    /** Σ g², R1's per-sample penalty P (before the γ/2 weight). */
    public static double squaredNorm(double[] g) {
        double sum = 0;
        for (double v : g) {
            sum += v * v;
        }
        return sum;
    }

    private static void checkSingle(NDArray image) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(0) != 1) {
            throw new IllegalArgumentException("input gradient: expected one image (1, C, H, W), got " + s);
        }
    }
}
