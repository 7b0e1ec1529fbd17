package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Atrous spatial pyramid pooling (DeepLab v3), defined in the original but not wired in: an
 * alternative mapping network. Four parallel branches — a 1×1 conv and three 3×3 atrous convs at
 * rates 6, 12, 18 scaled by resolution/65 (the original's rule; 24, 47, 71 at 256²) — each
 * followed by batch norm and leaky ReLU, are concatenated and fused by a 3×3 conv and a leaky ReLU.
 * Convs are SN convs when spectral norm is on. Departure: the original fuses back to the input's
 * channel count; to serve as a mapping network this block fuses to {@code outChannels} (spadeCh).
 */
public final class Aspp extends ModelBlock {

    private static final int[] RATES_AT_65 = {6, 12, 18};

    private final int inChannels;
    private final int outChannels;
    private final SpectralConv2d[] branches = new SpectralConv2d[4];
    private final Block[] norms = new Block[4];
    private final SpectralConv2d fuse;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param nf channels of each branch
     * @param resolution the input's side, which scales the atrous rates
     * @param spectralNorm SN convs or plain convs
     */
    public Aspp(int inChannels, int outChannels, int nf, int resolution, boolean spectralNorm) {
        this(inChannels, outChannels, nf, resolution, spectralNorm, ModelOptions.Padding.ZEROS);
    }

    /** The same with the atrous branches and the fusing conv padding by {@code padding}. */
    public Aspp(int inChannels, int outChannels, int nf, int resolution, boolean spectralNorm,
            ModelOptions.Padding padding) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        String[] names = {"x1", "x3_small", "x3_middle", "x3_large"};
        for (int i = 0; i < 4; i++) {
            int rate = i == 0 ? 0 : rate(RATES_AT_65[i - 1], resolution);
            branches[i] = addChildBlock(names[i], i == 0
                    ? SpectralConv2d.builder(inChannels, nf).kernel(1).spectralNorm(spectralNorm).build()
                    : SpectralConv2d.builder(inChannels, nf).dilation(rate).spectralNorm(spectralNorm)
                            .paddingMode(padding).build());
            norms[i] = addBatchNorm(names[i] + "_bn", nf, true);
        }
        fuse = addChildBlock("sum_func", SpectralConv2d.builder(4 * nf, outChannels)
                .spectralNorm(spectralNorm).paddingMode(padding).build());
    }

    /** The original's rate rule: round(rate65 · resolution / 65), at least 1. */
    public static int rate(int rateAt65, int resolution) {
        return (int) Math.max(1, Math.round(rateAt65 * resolution / 65.0));
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("Aspp", "input", x, inChannels);
        NDList parts = new NDList(4);
        for (int i = 0; i < 4; i++) {
            parts.add(lrelu(call(norms[i], ps, training, call(branches[i], ps, training, x))));
        }
        return new NDList(lrelu(call(fuse, ps, training, NDArrays.concat(parts, 1))));
    }

    /**
     * The widest branch followed by the fusing conv (the bounding box: the atrous branches see that
     * far, but only through their nine taps each).
     */
    public ReceptiveField receptiveField() {
        ReceptiveField[] rf = new ReceptiveField[branches.length];
        for (int i = 0; i < rf.length; i++) {
            rf[i] = branches[i].receptiveField();
        }
        return ReceptiveField.widest(rf).then(fuse.receptiveField());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
