package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What every block of the model shares.
 *
 * <p>Memory: an op's result belongs to the manager of its first operand, so ops on parameters
 * (σ-normalised weights, power iterations) would pile up in the model's long-lived manager. Each
 * block therefore runs its forward inside an {@link NDScope}: every array created there is closed
 * when the block returns, except the outputs, which move to the manager of the block's first input
 * (the caller's per-step manager) and into the caller's NDScope if it has one. Closing
 * intermediates is safe for backward: PyTorch's autograd keeps its own references to what it saved.
 *
 * <p>Parameter shapes are fixed at construction (every block knows its channel counts), so
 * initialisation does not depend on input shapes; DJL's {@link BatchNorm} children get their
 * channel count through a recorded shape.
 */
abstract class ModelBlock extends AbstractBlock {

    /** Leaky ReLU slope used everywhere in the original. */
    static final float SLOPE = 0.2f;

    /**
     * Batch-norm epsilon: Chainer's default (2e-5) as in the original; torch's default is 1e-5.
     * Running statistics use Chainer's decay 0.9 (= torch momentum 0.1, DJL momentum 0.9).
     */
    static final float BN_EPS = 2e-5f;

    static final float BN_MOMENTUM = 0.9f;

    private static final byte VERSION = 1;

    private final Map<Block, Shape> initShapes = new IdentityHashMap<>();
    private boolean initialized;

    ModelBlock() {
        super(VERSION);
    }

    /** The block's computation; arrays it creates are scoped (see the class comment). */
    abstract NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDManager caller = inputs.head().getManager();
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = forwardScoped(ps, inputs, training);
            for (NDArray a : out) {
                NDScope.unregister(a);
                if (a.getManager() != caller && !isInput(a, inputs)) {
                    a.attach(caller);
                }
            }
            scope.suppressNotUsedWarning();
        }
        // A caller that manages a step with its own NDScope gets the outputs into that scope.
        for (NDArray a : out) {
            if (!isInput(a, inputs)) {
                NDScope.register(a);
            }
        }
        return out;
    }

    private static boolean isInput(NDArray a, NDList inputs) {
        for (NDArray in : inputs) {
            if (in == a) {
                return true;
            }
        }
        return false;
    }

    /**
     * DJL asks this before every training forward of every block, and its answer walks all
     * parameters below the block; once true it stays true, so it is remembered.
     */
    @Override
    public boolean isInitialized() {
        if (!initialized) {
            initialized = super.isInitialized();
        }
        return initialized;
    }

    /** Adds a batch norm over {@code channels} (affine or not) as a child. */
    final BatchNorm addBatchNorm(String name, int channels, boolean affine) {
        BatchNorm bn = BatchNorm.builder()
                .optEpsilon(BN_EPS)
                .optMomentum(BN_MOMENTUM)
                .optCenter(affine)
                .optScale(affine)
                .build();
        initShapes.put(bn, new Shape(1, channels, 1, 1));
        return addChildBlock(name, bn);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            Shape s = initShapes.get(child);
            child.initialize(manager, dataType, s == null ? new Shape[0] : new Shape[] {s});
        }
    }

    /** Runs a child block on one input and returns its single output. */
    static NDArray call(Block child, ParameterStore ps, boolean training, NDArray... inputs) {
        return child.forward(ps, new NDList(inputs), training).head();
    }

    static NDArray lrelu(NDArray x) {
        return Activation.leakyRelu(x, SLOPE);
    }

    /** A parameter's current value on {@code like}'s device. */
    static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    /** He-normal (Chainer's HeNormal): N(0, 2 / fan_in), the original's default conv init. */
    static Initializer heNormal() {
        return new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2f);
    }

    /** Chainer's Normal(): N(0, 0.05²), the original's init for the output convs. */
    static Initializer smallNormal() {
        return new NormalInitializer(0.05f);
    }

    /** Shape checks with a message that names the block and what was expected. */
    static void expectChannels(String block, String input, NDArray x, long channels) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException(block + ": " + input + " must be (B, " + channels
                    + ", H, W), got " + s);
        }
    }
}
