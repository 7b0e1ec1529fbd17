package org.spadeanime.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;

/**
 * Where a {@link Trainer} gets its batches: each call returns a fresh
 * {@code NDList(label (B, C, H, W) one-hot, condition (B, 3, H, W) in [0, 1], target (B, 3, H, W)
 * in [−1, 1])} created in {@code manager} — the per-update sub-manager, closed right after the
 * update, so no batch outlives its step.
 */
@FunctionalInterface
public interface TrainingFeed {

    NDList next(NDManager manager) throws IOException;
}
