package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.function.Consumer;

/**
 * Self-attention (SAGAN) as in the original's discriminator. With f, g, h = SN conv 1×1 ch→ch/d,
 * v = SN conv 1×1 ch/d→ch (d = divisionCh) and N = H·W:
 *
 * <pre>
 *   s = f(x)ᵀ g(x)            (B, N, N),  s[i, j] = f_i · g_j
 *   a = softmax(s, axis 1)    (normalised over the query index i, as the original)
 *   o = v(h(x) · a)           h(x) as (B, ch/d, N)
 *   out = γ·o + x             γ: a learnable scalar, initialised to 0
 * </pre>
 */
public final class SelfAttention extends ModelBlock {

    private final int channels;
    private final SpectralConv2d f;
    private final SpectralConv2d g;
    private final SpectralConv2d h;
    private final SpectralConv2d v;
    private final Parameter gamma;
    private Consumer<AttentionMap> attentionListener;

    /**
     * @param channels channels of x
     * @param divisionCh divisor of the query/key/value channels
     * @param spectralNorm SN convs or plain convs
     */
    public SelfAttention(int channels, int divisionCh, boolean spectralNorm) {
        this.channels = channels;
        int mid = channels / divisionCh;
        f = addChildBlock("f_conv", SpectralConv2d.builder(channels, mid)
                .kernel(1).spectralNorm(spectralNorm).build());
        g = addChildBlock("g_conv", SpectralConv2d.builder(channels, mid)
                .kernel(1).spectralNorm(spectralNorm).build());
        h = addChildBlock("h_conv", SpectralConv2d.builder(channels, mid)
                .kernel(1).spectralNorm(spectralNorm).build());
        v = addChildBlock("v_conv", SpectralConv2d.builder(mid, channels)
                .kernel(1).spectralNorm(spectralNorm).build());
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0f)).build());
    }

    /**
     * Receives the attention weights a of every forward (a copy, for plots; null: none). Copying
     * costs B·N² floats per forward, 4 MiB per sample at the original's 32×32.
     */
    public void setAttentionListener(Consumer<AttentionMap> listener) {
        this.attentionListener = listener;
    }

    /** The learnt mixing weight γ (0 at initialisation: the block starts as the identity). */
    public float gamma() {
        return gamma.getArray().getFloat();
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("SelfAttention", "input", x, channels);
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(2) * s.get(3);
        NDArray query = call(f, ps, training, x).reshape(b, -1, n);
        NDArray key = call(g, ps, training, x).reshape(b, -1, n);
        NDArray attention = query.transpose(0, 2, 1).matMul(key).softmax(1);
        if (attentionListener != null) {
            attentionListener.accept(new AttentionMap((int) s.get(2), (int) s.get(3), (int) b,
                    attention.toType(DataType.FLOAT32, false).toFloatArray()));
        }
        NDArray value = call(h, ps, training, x).reshape(b, -1, n);
        NDArray o = value.matMul(attention).reshape(b, -1, s.get(2), s.get(3));
        o = call(v, ps, training, o);
        return new NDList(o.mul(value(ps, gamma, x, training)).add(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
