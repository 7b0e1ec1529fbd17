package org.spadeanime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import org.spadeanime.infer.NoGrad;
import org.spadeanime.model.SpadeGenerator;

/**
 * An exponential moving average of the generator's weights ("G_ema" of Karras et al. and Brock et
 * al.): after every iteration, θ̄ ← β·θ̄ + (1 − β)·θ for each trained parameter, and the buffers
 * (batch-norm running statistics, spectral-norm vectors) copied from the raw generator, as
 * StyleGAN2 does. The average smooths the last iterations' oscillation of the adversarial game, so
 * it is what tiles, prediction, evaluation and export draw with; the raw generator is the one the
 * optimizer trains and stays in every checkpoint.
 *
 * <p>β ramps up as min(decay, (1 + t)/(10 + t)) after t iterations (TensorFlow's
 * {@code ExponentialMovingAverage} with num_updates), so early in a run the average follows the
 * fast-changing weights instead of remembering the initial ones.
 */
public final class GeneratorEma implements AutoCloseable {

    private final SpadeGenerator average;
    private final NDManager manager;
    private final double decay;

    /** A copy of {@code raw} (same options and values) in a sub-manager of {@code parent}. */
    public GeneratorEma(SpadeGenerator raw, double decay, NDManager parent) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("emaDecay " + decay + ": expected in (0, 1)");
        }
        this.decay = decay;
        manager = parent.newSubManager();
        manager.setName("generator-ema");
        average = new SpadeGenerator(raw.options());
        average.initialize(manager);
        copyFrom(raw);
    }

    /** β after {@code completed} iterations. */
    public double beta(long completed) {
        return Math.min(decay, (1.0 + completed) / (10.0 + completed));
    }

    /** One averaging step after iteration {@code completed}; temporaries live in a sub-manager. */
    public void update(SpadeGenerator raw, long completed) {
        float b = (float) beta(completed);
        try (NDManager m = manager.newSubManager(); NoGrad ng = NoGrad.enter()) {
            forEachPair(raw, (live, avg, trained) -> {
                if (trained) {
                    // θ̄ += (1 − β)(θ − θ̄): one temporary, attached to the step's manager.
                    NDArray delta = live.sub(avg);
                    delta.attach(m);
                    avg.addi(delta.muli(1 - b));
                } else {
                    live.copyTo(avg);
                }
            });
        }
    }

    /** Sets every value (parameters and buffers) to {@code raw}'s: a resumed pre-EMA run starts here. */
    public void copyFrom(SpadeGenerator raw) {
        try (NoGrad ng = NoGrad.enter()) {
            forEachPair(raw, (live, avg, trained) -> live.copyTo(avg));
        }
    }

    /** The averaged generator (draw with it; never train it). */
    public SpadeGenerator generator() {
        return average;
    }

    public double decay() {
        return decay;
    }

    public void save(Path file) throws IOException {
        average.save(file);
    }

    public void load(Path file) throws IOException {
        average.loadParameters(file);
    }

    private interface PairAction {
        void apply(NDArray live, NDArray average, boolean trained);
    }

    private void forEachPair(SpadeGenerator raw, PairAction action) {
        PairList<String, Parameter> from = raw.getParameters();
        PairList<String, Parameter> to = average.getParameters();
        if (from.size() != to.size()) {
            throw new IllegalStateException("generator EMA: " + to.size() + " parameters, the generator has "
                    + from.size());
        }
        for (int i = 0; i < from.size(); i++) {
            Pair<String, Parameter> f = from.get(i);
            Pair<String, Parameter> t = to.get(i);
            if (!f.getKey().equals(t.getKey())) {
                throw new IllegalStateException("generator EMA: parameter " + i + " is " + t.getKey()
                        + ", the generator's " + f.getKey());
            }
            if (f.getValue().isInitialized()) {
                action.apply(f.getValue().getArray(), t.getValue().getArray(), f.getValue().requiresGradient());
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
