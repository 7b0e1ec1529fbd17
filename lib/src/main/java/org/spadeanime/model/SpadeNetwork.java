package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * What the generator and the discriminator share: their {@link ModelOptions}, initialisation from
 * the options, a parameter summary, checkpoints with the options inside, and a stage listener.
 */
public abstract class SpadeNetwork extends ModelBlock {

    private final ModelOptions options;
    private StageListener stageListener;
    private Set<Parameter> trained;

    SpadeNetwork(ModelOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("model options must not be null");
        }
        this.options = options;
    }

    /** The options this network was built from. */
    public ModelOptions options() {
        return options;
    }

    /**
     * The parameters an optimiser trains (weights, biases, noise scales, attention γ, affine BN),
     * as built — frozen ones included; not the BN running statistics, SN u and v, or the fixed
     * affine of SPADE's batch norm.
     */
    public final Set<Parameter> trainedParameters() {
        if (trained == null) {
            Set<Parameter> s = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Parameter p : ModelSummary.parameters(this).values()) {
                if (p.requiresGradient()) {
                    s.add(p);
                }
            }
            trained = Collections.unmodifiableSet(s);
        }
        return trained;
    }

    /**
     * Freezes (true) or unfreezes the {@link #trainedParameters()} only, e.g. the discriminator
     * during the generator step so that its gradients stay untouched. Unlike DJL's {@code
     * freezeParameters}, BN statistics and SN vectors keep their no-gradient state (and keep
     * updating in training forwards).
     */
    public final void setFrozen(boolean frozen) {
        for (Parameter p : trainedParameters()) {
            p.freeze(frozen);
        }
    }

    /** Input shapes for a batch of {@code batch} samples at the options' resolution. */
    public abstract Shape[] inputShapes(int batch);

    /**
     * Creates the parameters in {@code manager} (the model's long-lived manager). The block's own
     * initialisers are the original's (He normal, N(0, 0.05²) for output convs, zeros for noise
     * scales and attention γ); don't override them with {@code setInitializer}.
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, inputShapes(1));
    }

    /** Parameter counts per block (requires initialisation). */
    public ModelSummary summary() {
        return ModelSummary.of(this);
    }

    /** Writes parameters and options to {@code file} atomically. */
    public void save(Path file) throws IOException {
        ModelCheckpoint.save(file, this);
    }

    /**
     * Loads parameters saved by {@link #save} into this (initialised) network. A checkpoint of
     * another kind or architecture is refused with the first mismatching parameter and both shapes.
     */
    public void loadParameters(Path file) throws IOException {
        ModelCheckpoint.loadInto(file, this);
    }

    /** Builds a network of the checkpoint's options with {@code factory}, initialises it, loads it. */
    static <T extends SpadeNetwork> T load(Path file, NDManager manager, Function<ModelOptions, T> factory)
            throws IOException {
        T net = factory.apply(ModelCheckpoint.readOptions(file));
        net.initialize(manager);
        net.loadParameters(file);
        return net;
    }

    /** Sees every stage's output during forwards (null: none). */
    public void setStageListener(StageListener listener) {
        this.stageListener = listener;
    }

    /**
     * Checks the inputs against {@link #inputShapes} (any batch size) with an error that names the
     * network, the input and the expected shape.
     */
    final void checkInputs(NDList inputs, String... names) {
        String kind = getClass().getSimpleName();
        if (inputs.size() != names.length) {
            throw new IllegalArgumentException(kind + ": expected NDList(" + String.join(", ", names)
                    + "), got " + inputs.size() + " arrays");
        }
        long batch = inputs.head().getShape().get(0);
        Shape[] expected = inputShapes(Math.toIntExact(batch));
        for (int i = 0; i < names.length; i++) {
            if (!inputs.get(i).getShape().equals(expected[i])) {
                throw new IllegalArgumentException(kind + ": " + names[i] + " must be " + expected[i]
                        + " for these options (resolution " + options.resolution() + "), got "
                        + inputs.get(i).getShape());
            }
        }
    }

    /** Reports a stage to the listener, if any, and returns the array. */
    final NDArray stage(String name, NDArray output) {
        if (stageListener != null) {
            stageListener.onStage(name, output);
        }
        return output;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + options;
    }
}
