package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The original's mapping network, a "constant-resolution FCN": four plain 3×3 convs with leaky ReLU
 * and no down-sampling, widening in → C/8 → C/4 → C/2 → C (C = spadeCh), the last two atrous
 * (dilation 2 and 4) to see further. Its full-resolution output is what every SPADE layer resizes
 * and turns into γ and β (it replaces NVlabs SPADE's per-layer shared conv).
 */
public final class ConstantFcn extends ModelBlock {

    private final int inChannels;
    private final int outChannels;
    private final SpectralConv2d[] convs = new SpectralConv2d[4];

    /**
     * @param inChannels channels of the input map (label classes, or 3 for the colour map)
     * @param outChannels output channels (spadeCh), a multiple of 8
     */
    public ConstantFcn(int inChannels, int outChannels) {
        this(inChannels, outChannels, ModelOptions.Padding.ZEROS);
    }

    /** The same with the convolutions padding by {@code padding} (the original: zeros). */
    public ConstantFcn(int inChannels, int outChannels, ModelOptions.Padding padding) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        int[] widths = {inChannels, outChannels / 8, outChannels / 4, outChannels / 2, outChannels};
        int[] dilations = {1, 1, 2, 4};
        for (int i = 0; i < 4; i++) {
            int d = dilations[i];
            convs[i] = addChildBlock("conv" + (i + 1), SpectralConv2d.builder(widths[i], widths[i + 1])
                    .dilation(d).paddingMode(padding).build());
        }
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray h = inputs.singletonOrThrow();
        expectChannels("ConstantFcn", "input", h, inChannels);
        for (SpectralConv2d conv : convs) {
            h = lrelu(call(conv, ps, training, h));
        }
        return new NDList(h);
    }

    /** The layers' receptive field: 17×17 pixels (3×3, then 3×3, then atrous rates 2 and 4). */
    public ReceptiveField receptiveField() {
        ReceptiveField rf = ReceptiveField.pixel();
        for (SpectralConv2d conv : convs) {
            rf = rf.then(conv.receptiveField());
        }
        return rf;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
