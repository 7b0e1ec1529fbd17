package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Spatially-adaptive normalisation as the original defines it: batch norm of x without learnable
 * affine, then a per-pixel affine from the mapping features w, resized to x's size:
 *
 * <pre>
 *   γ = conv3×3(w'),  β = conv3×3(w'),  out = BN(x)·(1 + γ) + β      (w' = w resized to x)
 * </pre>
 *
 * γ and β are plain convs (He init); there is no shared hidden conv as in NVlabs SPADE because the
 * mapping network plays that part. Inputs: {@code NDList(x (B, ch, H, W), w (B, mapCh, H', W'))};
 * w is resized only when its size differs (the generator passes it pre-resized, once per size).
 */
public final class Spade extends ModelBlock {

    private final int channels;
    private final int mapChannels;
    private final Resize.Mode resizeMode;
    private final Block norm;
    private final SpectralConv2d gamma;
    private final SpectralConv2d beta;

    /**
     * @param channels channels of x
     * @param mapChannels channels of the mapping features w
     * @param resizeMode how w is resized to x (the original: bilinear, aligned corners)
     */
    public Spade(int channels, int mapChannels, Resize.Mode resizeMode) {
        this(channels, mapChannels, resizeMode, ModelOptions.Padding.ZEROS);
    }

    /** The same with γ's and β's convolutions padding by {@code padding} (the original: zeros). */
    public Spade(int channels, int mapChannels, Resize.Mode resizeMode, ModelOptions.Padding padding) {
        this.channels = channels;
        this.mapChannels = mapChannels;
        this.resizeMode = resizeMode;
        norm = addBatchNorm("norm", channels, false);
        gamma = addChildBlock("gamma", SpectralConv2d.builder(mapChannels, channels).paddingMode(padding).build());
        beta = addChildBlock("beta", SpectralConv2d.builder(mapChannels, channels).paddingMode(padding).build());
    }

    /** The original's SPADE: bilinear resizing of w. */
    public Spade(int channels, int mapChannels) {
        this(channels, mapChannels, Resize.Mode.BILINEAR);
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.get(0);
        NDArray w = inputs.get(1);
        expectChannels("Spade", "x", x, channels);
        expectChannels("Spade", "mapping features w", w, mapChannels);
        Shape s = x.getShape();
        NDArray wr = Resize.resize(w, (int) s.get(2), (int) s.get(3), resizeMode);
        NDArray normed = call(norm, ps, training, x);
        NDArray g = call(gamma, ps, training, wr);
        NDArray b = call(beta, ps, training, wr);
        return new NDList(normed.mul(g.add(1f)).add(b));
    }

    /** The window of mapping features (at x's size) that one pixel's γ and β see: their conv's. */
    public ReceptiveField receptiveField() {
        return ReceptiveField.widest(gamma.receptiveField(), beta.receptiveField());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
