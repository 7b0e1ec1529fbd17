package org.spadeanime.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.spadeanime.optim.Adam;

/**
 * The receptive field of a stack of convolutions: the side, in input pixels, of the window one
 * output pixel depends on, and the jump (the product of the strides) between neighbouring output
 * pixels, in input pixels. Blocks compose it from their actual layers ({@link
 * SpectralConv2d#receptiveField()}, {@link ConstantFcn#receptiveField()}, {@link
 * Aspp#receptiveField()}) with the usual recurrence (Araujo, Norris and Sim, "Computing Receptive
 * Fields of Convolutional Neural Networks", Distill 2019): a layer with kernel k, dilation d and
 * stride s after a field of size r and jump j gives
 *
 * <pre>  r' = r + (k − 1)·d·j,   j' = j·s.</pre>
 *
 * The size is the bounding box: an atrous layer reaches that far but skips the pixels between its
 * taps. {@link #measure} finds both empirically, from the gradient of one output pixel.
 *
 * @param size side of the window in input pixels (1 for a single pixel)
 * @param jump input pixels between neighbouring output pixels
 */
public record ReceptiveField(int size, int jump) {

    public ReceptiveField {
        if (size < 1 || jump < 1) {
            throw new IllegalArgumentException("receptive field: size " + size + " and jump " + jump
                    + " must both be >= 1");
        }
    }

    /** The field of the identity: one pixel. */
    public static ReceptiveField pixel() {
        return new ReceptiveField(1, 1);
    }

    /** The field of one convolution layer. */
    public static ReceptiveField conv(int kernel, int stride, int dilation) {
        if (kernel < 1 || stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("convolution with kernel " + kernel + ", stride " + stride
                    + ", dilation " + dilation + ": each must be >= 1");
        }
        return new ReceptiveField((kernel - 1) * dilation + 1, stride);
    }

    /** This field followed by {@code next} (a layer or stack applied to this one's output). */
    public ReceptiveField then(ReceptiveField next) {
        return new ReceptiveField(size + (next.size - 1) * jump, jump * next.jump);
    }

    /** Parallel branches whose outputs are combined pixel by pixel: the widest (all must share the jump). */
    public static ReceptiveField widest(ReceptiveField... branches) {
        if (branches.length == 0) {
            throw new IllegalArgumentException("receptive field of parallel branches: no branch given");
        }
        ReceptiveField w = branches[0];
        for (ReceptiveField b : branches) {
            if (b.jump != w.jump) {
                throw new IllegalArgumentException("parallel branches with jumps " + w.jump + " and " + b.jump
                        + " are not aligned pixel by pixel");
            }
            if (b.size > w.size) {
                w = b;
            }
        }
        return w;
    }

    /**
     * What the gradient of the centre output pixel reaches.
     *
     * @param side side of the input the block ran on
     * @param gradient |∂ Σ_c y_c(centre) / ∂x|, summed over the input channels, (side × side) row-major
     * @param extent side of the bounding box of the non-zero gradient: the measured {@link #size}
     * @param pixels input pixels with a non-zero gradient
     */
    public record Support(int side, float[] gradient, int extent, int pixels) {

        /** Share of the bounding box the gradient reaches (1 for a dense field, less with atrous gaps). */
        public double density() {
            return pixels / (double) (extent * extent);
        }

        /** The input pixels with a non-zero gradient (side × side, row-major): the field's shape. */
        public boolean[] mask() {
            boolean[] m = new boolean[gradient.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = gradient[i] != 0f;
            }
            return m;
        }
    }

    /**
     * Measures the receptive field of an initialised block: runs it in inference mode (so batch norm
     * uses its running statistics and stays local) on a random (1, inChannels, side, side) input and
     * takes the gradient of the centre output pixel, summed over output channels, with respect to the
     * input. The block's parameter gradients are zeroed afterwards. Needs a side larger than the field.
     */
    public static Support measure(Block block, int inChannels, int side, NDManager manager, long seed) {
        float[] data = new float[inChannels * side * side];
        Random random = new Random(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(data, new Shape(1, inChannels, side, side));
            x.setRequiresGradient(true);
            float[] g;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), false).head();
                Shape s = y.getShape();
                gc.backward(y.get(new NDIndex(":, :, {}, {}", s.get(2) / 2, s.get(3) / 2)).sum());
                g = x.getGradient().abs().sum(new int[] {0, 1}).toFloatArray();
            } finally {
                Adam.zeroGradients(block);
            }
            return support(g, side);
        }
    }

    private static Support support(float[] g, int side) {
        int x0 = side;
        int y0 = side;
        int x1 = -1;
        int y1 = -1;
        int pixels = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (g[y * side + x] != 0f) {
                    pixels++;
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int extent = pixels == 0 ? 0 : Math.max(x1 - x0, y1 - y0) + 1;
        return new Support(side, g, extent, pixels);
    }

    @Override
    public String toString() {
        return size + "×" + size + (jump > 1 ? " (jump " + jump + ")" : "");
    }
}
