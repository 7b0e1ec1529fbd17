package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * A 2-D convolution with optional spectral normalisation (Miyato et al. 2018), the original's
 * "SNConv". With normalisation on, the kernel used is W / σ(W), where σ is estimated by one power
 * iteration per training forward on the (out, in·kh·kw) weight matrix:
 *
 * <pre>
 *   v = normalize(Wᵀu),  u = normalize(W v),  σ = uᵀ W v        (u, v: no gradient)
 * </pre>
 *
 * as {@code torch.nn.utils.spectral_norm} does: normalize(x) = x / max(‖x‖, 1e-12), u and v are
 * persistent non-trained parameters saved with the weights, σ stays in the autograd graph, and an
 * inference forward reuses the stored u and v without iterating. (Chainer's hook divides by
 * ‖x‖ + 1e-6 instead, a relative difference of about 1e-6 in σ.) The updated u and v replace the
 * parameters' native handles rather than being copied into them, so the graph of an earlier forward
 * (D on real, then on fake, then one backward) keeps the vectors it used.
 *
 * <p>With normalisation off this is a plain convolution: weight and bias only.
 */
public final class SpectralConv2d extends ModelBlock {

    private static final float EPS = 1e-12f;

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean spectralNorm;
    private final ModelOptions.Padding paddingMode;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;
    private final Parameter v;

    private SpectralConv2d(Builder b) {
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding >= 0 ? b.padding : b.dilation * (b.kernel - 1) / 2;
        this.dilation = b.dilation;
        this.spectralNorm = b.spectralNorm;
        this.paddingMode = b.paddingMode;
        // Parameter names and order are the checkpoint format: weight, bias, u, v.
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                .optInitializer(b.init).build());
        this.bias = b.bias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outChannels))
                        .optInitializer(new ConstantInitializer(0f)).build())
                : null;
        if (spectralNorm) {
            u = addParameter(vector("u", outChannels));
            v = addParameter(vector("v", (long) inChannels * kernel * kernel));
        } else {
            u = null;
            v = null;
        }
    }

    /**
     * A square-kernel convolution from {@code in} to {@code out} channels. Defaults: kernel 3,
     * stride 1, dilation 1, "same" padding (dilation·(kernel − 1)/2), a bias, no spectral norm,
     * He-normal init.
     */
    public static Builder builder(int in, int out) {
        return new Builder(in, out);
    }

    /** The geometry and options of one {@link SpectralConv2d}; see {@link #builder(int, int)}. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private int kernel = 3;
        private int stride = 1;
        private int padding = -1;
        private int dilation = 1;
        private boolean bias = true;
        private boolean spectralNorm;
        private ModelOptions.Padding paddingMode = ModelOptions.Padding.ZEROS;
        private Initializer init = heNormal();

        private Builder(int inChannels, int outChannels) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
        }

        /** The kernel side. */
        public Builder kernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder stride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Padding on each side; unset, "same" padding for odd kernels at stride 1. */
        public Builder padding(int padding) {
            this.padding = padding;
            return this;
        }

        /** The atrous rate (1 = an ordinary convolution). */
        public Builder dilation(int dilation) {
            this.dilation = dilation;
            return this;
        }

        /** No bias (a bias, when present, starts at 0). */
        public Builder noBias() {
            this.bias = false;
            return this;
        }

        /** Whether to normalise the kernel by its spectral norm. */
        public Builder spectralNorm(boolean spectralNorm) {
            this.spectralNorm = spectralNorm;
            return this;
        }

        /** What the padding holds: zeros (the original) or the input reflected at its border. */
        public Builder paddingMode(ModelOptions.Padding mode) {
            this.paddingMode = mode;
            return this;
        }

        /** The weight initialiser (the original: He normal, or N(0, 0.05²) for output convs). */
        public Builder init(Initializer init) {
            this.init = init;
            return this;
        }

        public SpectralConv2d build() {
            return new SpectralConv2d(this);
        }
    }

    private static Parameter vector(String name, long size) {
        // A random unit vector, as torch initialises weight_u and weight_v.
        Initializer unit = (manager, shape, dataType) -> {
            try (NDScope scope = new NDScope()) {
                NDArray r = normalize(manager.randomNormal(0f, 1f, shape, dataType, manager.getDevice()));
                NDScope.unregister(r);
                scope.suppressNotUsedWarning();
                return r;
            }
        };
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER)
                .optShape(new Shape(size)).optRequiresGrad(false).optInitializer(unit).build();
    }

    /**
     * Initialises the parameters. A freshly created v is set to normalize(Wᵀu), so an inference
     * forward before any training forward already sees σ ≈ ‖Wᵀu‖ rather than a random value.
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean freshV = v != null && !v.isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (freshV) {
            try (NDScope scope = new NDScope()) {
                NDArray wm = weight.getArray().stopGradient().reshape(outChannels, -1);
                v.getArray().intern(normalize(wm.transpose().matMul(u.getArray())));
                scope.suppressNotUsedWarning();
            }
        }
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("SpectralConv2d", "input", x, inChannels);
        NDArray w = value(ps, weight, x, training);
        NDArray b = bias == null ? null : value(ps, bias, x, training);
        if (spectralNorm) {
            w = w.div(sigma(ps, w, x, training));
        }
        int zeros = padding;
        if (paddingMode == ModelOptions.Padding.REFLECT && padding > 0) {
            x = reflect(x, padding);
            zeros = 0;
        }
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(zeros, zeros),
                new Shape(dilation, dilation));
    }

    /**
     * x (N, C, H, W) padded by p on every side with its reflection at the border, torch's
     * {@code padding_mode="reflect"} (the border pixel is not repeated). A side of p pixels or fewer
     * has too little to reflect (torch refuses it); there the rule below folds once more and clamps
     * (no generator layer is that small: its first map is 4×4 and pads by 1).
     * Two index gathers, so autograd carries the gradient of the padding back to x.
     */
    static NDArray reflect(NDArray x, int p) {
        return x.get(new NDIndex(":, :, {}", reflectedIndex(x, x.getShape().get(2), p)))
                .get(new NDIndex(":, :, :, {}", reflectedIndex(x, x.getShape().get(3), p)));
    }

    /**
     * Source index of each of the n + 2p padded positions, (n − 1) − |(n − 1) − |i|| for i in [−p, n + p),
     * clamped to [0, n − 1]. Computed by torch, not from a Java array: the backward of the gather reads
     * the indices, and an array DJL creates from Java memory points into a buffer that the garbage
     * collector frees (measured: "index 94783270959008 is out of bounds" after ~120 training steps).
     */
    static NDArray reflectedIndex(NDArray like, long n, int p) {
        NDManager m = like.getManager();
        NDArray i = m.arange(-p, n + p, 1, DataType.INT64, like.getDevice()).abs();
        return i.neg().add(n - 1).abs().neg().add(n - 1).clip(0, n - 1);
    }

    /** The same indices as a Java array (tests). */
    static long[] reflectedIndex(long n, int p) {
        try (NDManager m = NDManager.newBaseManager()) {
            return reflectedIndex(m.zeros(new Shape(1)), n, p).toLongArray();
        }
    }

    /** σ(W) by one power iteration (training) or from the stored u, v (inference). */
    private NDArray sigma(ParameterStore ps, NDArray w, NDArray x, boolean training) {
        NDArray uArr = value(ps, u, x, training);
        NDArray vArr = value(ps, v, x, training);
        NDArray wm = w.reshape(outChannels, -1);
        if (training) {
            NDArray wd = wm.stopGradient();
            NDArray vNew = normalize(wd.transpose().matMul(uArr));
            NDArray uNew = normalize(wd.matMul(vNew));
            // The parameters take over the new vectors' handles: the next forward starts from
            // them, and the graph of this one keeps its own references.
            uArr.intern(uNew);
            vArr.intern(vNew);
        }
        return uArr.dot(wm.matMul(vArr));
    }

    private static NDArray normalize(NDArray x) {
        return x.div(x.norm().maximum(EPS));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, outSize(s.get(2)), outSize(s.get(3)))};
    }

    private long outSize(long in) {
        return (in + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public boolean spectralNorm() {
        return spectralNorm;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public ModelOptions.Padding paddingMode() {
        return paddingMode;
    }

    /** The atrous rate (1 = an ordinary convolution). */
    public int dilation() {
        return dilation;
    }

    /** The input window one output pixel sees: (kernel − 1)·dilation + 1 pixels. */
    public ReceptiveField receptiveField() {
        return ReceptiveField.conv(kernel, stride, dilation);
    }

    @Override
    public String toString() {
        return "SpectralConv2d(" + inChannels + "→" + outChannels + ", k" + kernel + " s" + stride
                + " p" + padding + (paddingMode == ModelOptions.Padding.REFLECT && padding > 0 ? " reflect" : "")
                + (dilation > 1 ? " d" + dilation : "") + (bias == null ? ", no bias" : "")
                + (spectralNorm ? ", SN" : "") + ")";
    }
}
