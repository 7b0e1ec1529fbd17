package org.spadeanime.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.spadeanime.model.SpadeGenerator;

/**
 * Draws images with a trained generator (tiles, prediction), without autograd and without changing
 * the generator: the noise is seeded, so the same inputs and seed give the same picture.
 *
 * <p>Two ways to normalise, because the generator's SPADE layers use batch norm:
 * <ul>
 *   <li>{@link Mode#BATCH_STATISTICS} (default): batch norm uses the statistics of the batch being
 *       drawn, as in every training forward. With batch 1 (the original's setting) that is a
 *       per-image, per-channel normalisation, which is exactly what the generator was trained with.
 *       The running statistics and spectral-norm vectors that such a forward updates are restored
 *       afterwards ({@link BufferSnapshot}).</li>
 *   <li>{@link Mode#INFERENCE}: the running averages collected in training (torch's eval()). They
 *       average batch statistics over recent batches and lag behind the weights, and the
 *       per-sample statistics of batch-1 training differ from their average.</li>
 * </ul>
 */
public final class Sampler {

    /** How the generator's batch norm normalises while drawing. */
    public enum Mode {
        /** The statistics of the drawn batch, as in training (the default). */
        BATCH_STATISTICS,
        /** The running averages (inference mode). */
        INFERENCE;

        /** What tiles and prediction use unless told otherwise. */
        public static final Mode DEFAULT = BATCH_STATISTICS;

        /** Parses batch-statistics (or batch) and inference (case-insensitive). */
        public static Mode parse(String name) {
            String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            return switch (n) {
                case "batch-statistics", "batch" -> BATCH_STATISTICS;
                case "inference" -> INFERENCE;
                default -> throw new IllegalArgumentException("generation mode '" + name
                        + "': expected batch-statistics or inference");
            };
        }
    }

    private Sampler() {}

    /**
     * G(label, condition) in [−1, 1], shape (B, 3, H, W), in {@code label}'s manager; the engine's RNG
     * is seeded with {@code seed} first (the noise injection draws from it).
     */
    public static NDArray generate(SpadeGenerator generator, NDArray label, NDArray condition, Mode mode, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        NDManager m = label.getManager();
        ParameterStore ps = new ParameterStore(m, false);
        boolean training = mode == Mode.BATCH_STATISTICS;
        try (NoGrad ng = NoGrad.enter();
             BufferSnapshot undo = training ? new BufferSnapshot(m, generator) : null) {
            NDArray out = generator.forward(ps, new NDList(label, condition), training).head();
            if (undo != null) {
                undo.restore();
            }
            return out;
        }
    }
}
