package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.spadeanime.model.ModelOptions.Upsampling;

/**
 * ×2 up-sampling between generator blocks (the original's {@code define_upsampling} without an
 * output conv): BILINEAR (aligned corners, see {@link Resize}), NEAREST, or SUBPIXEL (an SN conv
 * 3×3 ch→4ch, then depth-to-space). The sub-pixel shuffle uses torch's {@code pixel_shuffle}
 * channel order (c·4 + dy·2 + dx); Chainer's {@code depth2space} reads channel (dy·2 + dx)·C + c —
 * the same function up to a fixed permutation of the conv's output channels.
 *
 * <p>The original's fourth mode, {@code deconv}, is a transposed conv with kernel 3, stride 1 and
 * pad 1: it does not change the size (the original's generator would stay at 4×4), so it is not
 * offered as a generator mode. Such a layer equals an ordinary 3×3 conv (pad 1) whose kernel is the
 * transposed kernel flipped in both spatial axes with in/out swapped — see {@link
 * #convKernelOfTransposed(NDArray)} — so it needs no transposed conv (which DJL lacks).
 */
public final class Upsample extends ModelBlock {

    private final Upsampling mode;
    private final int channels;
    private final SpectralConv2d conv;

    /**
     * @param mode up-sampling rule
     * @param channels channels of the input (and output)
     * @param spectralNorm whether the SUBPIXEL conv is spectrally normalised
     */
    public Upsample(Upsampling mode, int channels, boolean spectralNorm) {
        this(mode, channels, spectralNorm, ModelOptions.Padding.ZEROS);
    }

    /** The same with the SUBPIXEL conv padding by {@code padding} (the original: zeros). */
    public Upsample(Upsampling mode, int channels, boolean spectralNorm, ModelOptions.Padding padding) {
        this.mode = mode;
        this.channels = channels;
        conv = mode == Upsampling.SUBPIXEL
                ? addChildBlock("conv", SpectralConv2d.builder(channels, 4 * channels)
                        .spectralNorm(spectralNorm).paddingMode(padding).build())
                : null;
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("Upsample", "input", x, channels);
        Shape s = x.getShape();
        int h = (int) s.get(2) * 2;
        int w = (int) s.get(3) * 2;
        return new NDList(switch (mode) {
            case BILINEAR -> Resize.bilinear(x, h, w);
            case NEAREST -> Resize.nearest(x, h, w);
            case SUBPIXEL -> pixelShuffle(call(conv, ps, training, x), 2);
        });
    }

    /** Depth-to-space as torch's {@code pixel_shuffle}: (B, C·r², H, W) → (B, C, H·r, W·r). */
    public static NDArray pixelShuffle(NDArray x, int r) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1) / ((long) r * r);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(b, c, h * r, w * r);
    }

    /**
     * The conv kernel (out, in, 3, 3) equivalent to a stride-1, pad-1 transposed-conv kernel
     * (in, out, 3, 3): swap the first two axes and flip both spatial axes.
     */
    public static NDArray convKernelOfTransposed(NDArray transposedKernel) {
        return transposedKernel.transpose(1, 0, 2, 3).flip(2, 3);
    }

    public Upsampling mode() {
        return mode;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2)};
    }
}
