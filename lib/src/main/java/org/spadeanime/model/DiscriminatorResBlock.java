package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The discriminator's residual block, as the original wires it:
 *
 * <pre>
 *   main:     norm1 = BN → lrelu → lrelu → conv1 = SNConv3×3 in→out → norm2 = BN → lrelu
 *             → conv2 = SNConv3×3 out→out
 *   shortcut (in ≠ out): BN → lrelu → SNConv3×3 in→out
 *   out = main + shortcut
 * </pre>
 *
 * The double leaky ReLU of the main path is the original's (a slope of 0.04 for negatives).
 */
public final class DiscriminatorResBlock extends ModelBlock {

    private final int inChannels;
    private final int outChannels;
    private final Block norm1;
    private final SpectralConv2d conv1;
    private final Block norm2;
    private final SpectralConv2d conv2;
    private final Block shortcutNorm;
    private final SpectralConv2d shortcutConv;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param spectralNorm SN convs or plain convs
     */
    public DiscriminatorResBlock(int inChannels, int outChannels, boolean spectralNorm) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        norm1 = addBatchNorm("norm1", inChannels, true);
        conv1 = addChildBlock("conv1", SpectralConv2d.builder(inChannels, outChannels)
                .spectralNorm(spectralNorm).build());
        norm2 = addBatchNorm("norm2", outChannels, true);
        conv2 = addChildBlock("conv2", SpectralConv2d.builder(outChannels, outChannels)
                .spectralNorm(spectralNorm).build());
        if (inChannels != outChannels) {
            shortcutNorm = addBatchNorm("shortcut_norm", inChannels, true);
            shortcutConv = addChildBlock("shortcut_conv",
                    SpectralConv2d.builder(inChannels, outChannels).spectralNorm(spectralNorm).build());
        } else {
            shortcutNorm = null;
            shortcutConv = null;
        }
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("DiscriminatorResBlock", "input", x, inChannels);
        NDArray shortcut = x;
        if (shortcutConv != null) {
            shortcut = call(shortcutConv, ps, training, lrelu(call(shortcutNorm, ps, training, x)));
        }
        NDArray h = lrelu(lrelu(call(norm1, ps, training, x)));
        h = call(conv1, ps, training, h);
        h = lrelu(call(norm2, ps, training, h));
        h = call(conv2, ps, training, h);
        return new NDList(h.add(shortcut));
    }

    /** The wider of the main path (two 3×3 convs) and the shortcut (a 3×3 conv, or the identity). */
    public ReceptiveField receptiveField() {
        ReceptiveField main = conv1.receptiveField().then(conv2.receptiveField());
        return shortcutConv == null ? main : ReceptiveField.widest(main, shortcutConv.receptiveField());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
