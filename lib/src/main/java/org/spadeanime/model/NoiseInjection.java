package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;

/**
 * StyleGAN's noise injection (the original's NoiseAdder): out = x + scale · noise, with one
 * learnable scale per channel, initialised to 0, and fresh per-pixel noise (B, 1, H, W) shared by
 * all channels. Noise is drawn in training and in inference, as in the original.
 */
public final class NoiseInjection extends ModelBlock {

    private final int channels;
    private final Parameter scale;
    private NoiseSource source = NoiseSource.engine();

    /** @param channels channels of x */
    public NoiseInjection(int channels) {
        this.channels = channels;
        scale = addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, channels, 1, 1))
                .optInitializer(new ConstantInitializer(0f)).build());
    }

    /** Replaces the noise source (default: the engine RNG), e.g. with fixed noise. */
    public void setNoiseSource(NoiseSource source) {
        this.source = source;
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("NoiseInjection", "input", x, channels);
        Shape s = x.getShape();
        NDArray noise = source.sample(x.getManager(), new Shape(s.get(0), 1, s.get(2), s.get(3)))
                .toDevice(x.getDevice(), false);
        return new NDList(x.add(noise.mul(value(ps, scale, x, training))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
