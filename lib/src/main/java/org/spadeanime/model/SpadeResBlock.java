package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The generator's SPADE residual block, wired exactly as in the original:
 *
 * <pre>
 *   main:     noise1 → norm1 = SPADE(in, w2 if given else w1) → lrelu → conv1 = SNConv3×3 in→out
 *             → noise2 → norm2 = SPADE(out, w1) → lrelu → conv2 = SNConv3×3 out→out
 *   shortcut (in ≠ out): noise → SPADE(in, w1) → lrelu → SNConv1×1 in→out (no bias)
 *   out = main + shortcut
 * </pre>
 *
 * Inputs: {@code NDList(x, w1)} or {@code NDList(x, w1, w2)}; w1 (and w2) are the mapping
 * features, resized to x's size inside SPADE unless already that size. Noise is drawn in the order
 * shortcut, noise1, noise2 (that order matters only for fixed noise). With {@code noise = false}
 * there are no noise layers; with {@code secondMap = false} the block takes w1 only.
 */
public final class SpadeResBlock extends ModelBlock {

    private final int inChannels;
    private final int outChannels;
    private final boolean secondMap;
    private final NoiseInjection noise1;
    private final Spade norm1;
    private final SpectralConv2d conv1;
    private final NoiseInjection noise2;
    private final Spade norm2;
    private final SpectralConv2d conv2;
    private final NoiseInjection shortcutNoise;
    private final Spade shortcutNorm;
    private final SpectralConv2d shortcutConv;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param mapChannels channels of w1
     * @param secondMapChannels channels of w2, or 0 when the block takes no second map
     * @param noise whether to inject noise
     * @param spectralNorm SN convs or plain convs
     * @param resizeMode how SPADE resizes mapping features that are not yet x's size
     */
    public SpadeResBlock(int inChannels, int outChannels, int mapChannels, int secondMapChannels,
            boolean noise, boolean spectralNorm, Resize.Mode resizeMode) {
        this(inChannels, outChannels, mapChannels, secondMapChannels, noise, spectralNorm, resizeMode,
                ModelOptions.Padding.ZEROS);
    }

    /** The same with every 3×3 convolution (SPADE's included) padding by {@code padding}. */
    public SpadeResBlock(int inChannels, int outChannels, int mapChannels, int secondMapChannels,
            boolean noise, boolean spectralNorm, Resize.Mode resizeMode, ModelOptions.Padding padding) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.secondMap = secondMapChannels > 0;
        noise1 = noise ? addChildBlock("noise1", new NoiseInjection(inChannels)) : null;
        norm1 = addChildBlock("norm1",
                new Spade(inChannels, secondMap ? secondMapChannels : mapChannels, resizeMode, padding));
        conv1 = addChildBlock("conv1", SpectralConv2d.builder(inChannels, outChannels)
                .spectralNorm(spectralNorm).paddingMode(padding).build());
        noise2 = noise ? addChildBlock("noise2", new NoiseInjection(outChannels)) : null;
        norm2 = addChildBlock("norm2", new Spade(outChannels, mapChannels, resizeMode, padding));
        conv2 = addChildBlock("conv2", SpectralConv2d.builder(outChannels, outChannels)
                .spectralNorm(spectralNorm).paddingMode(padding).build());
        if (inChannels != outChannels) {
            shortcutNoise = noise ? addChildBlock("shortcut_noise", new NoiseInjection(inChannels)) : null;
            shortcutNorm = addChildBlock("shortcut_norm", new Spade(inChannels, mapChannels, resizeMode, padding));
            shortcutConv = addChildBlock("shortcut_conv",
                    SpectralConv2d.builder(inChannels, outChannels)
                            .kernel(1).noBias().spectralNorm(spectralNorm).build());
        } else {
            shortcutNoise = null;
            shortcutNorm = null;
            shortcutConv = null;
        }
    }

    /** Sets the noise source of every noise layer of this block. */
    public void setNoiseSource(NoiseSource source) {
        for (NoiseInjection n : new NoiseInjection[] {shortcutNoise, noise1, noise2}) {
            if (n != null) {
                n.setNoiseSource(source);
            }
        }
    }

    /** True when the block takes a second mapping input (w2). */
    public boolean takesSecondMap() {
        return secondMap;
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        int expected = secondMap ? 3 : 2;
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("SpadeResBlock: expected " + expected
                    + " inputs (x, w1" + (secondMap ? ", w2)" : ")") + ", got " + inputs.size());
        }
        NDArray x = inputs.get(0);
        NDArray w1 = inputs.get(1);
        NDArray shortcut = x;
        if (shortcutConv != null) {
            NDArray h = noisy(shortcutNoise, ps, training, x);
            h = lrelu(call(shortcutNorm, ps, training, h, w1));
            shortcut = call(shortcutConv, ps, training, h);
        }
        NDArray h = noisy(noise1, ps, training, x);
        h = lrelu(call(norm1, ps, training, h, secondMap ? inputs.get(2) : w1));
        h = call(conv1, ps, training, h);
        h = noisy(noise2, ps, training, h);
        h = lrelu(call(norm2, ps, training, h, w1));
        h = call(conv2, ps, training, h);
        return new NDList(h.add(shortcut));
    }

    private static NDArray noisy(NoiseInjection n, ParameterStore ps, boolean training, NDArray x) {
        return n == null ? x : call(n, ps, training, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }
}
