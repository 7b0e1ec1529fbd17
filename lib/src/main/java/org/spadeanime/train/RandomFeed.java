package org.spadeanime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.spadeanime.model.ModelOptions;

/**
 * Batches of random labels (each pixel a random class or background), conditions in [0, 1] and
 * targets in [−1, 1], batch k a function of (seed, k): data for benchmarks and tests of the update
 * mechanics, where what the networks learn does not matter.
 */
public final class RandomFeed implements TrainingFeed {

    private final ModelOptions model;
    private final int batchSize;
    private final long seed;
    private long served;

    public RandomFeed(ModelOptions model, int batchSize, long seed) {
        this.model = model;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public NDList next(NDManager manager) {
        Random rnd = new Random(seed * 31 + served++);
        int c = model.numClasses();
        int r = model.resolution();
        int plane = r * r;
        float[] label = new float[batchSize * c * plane];
        float[] cond = new float[batchSize * 3 * plane];
        float[] target = new float[batchSize * 3 * plane];
        for (int b = 0; b < batchSize; b++) {
            for (int i = 0; i < plane; i++) {
                int k = rnd.nextInt(c + 1); // c: background
                if (k < c) {
                    label[(b * c + k) * plane + i] = 1f;
                }
            }
        }
        for (int i = 0; i < cond.length; i++) {
            cond[i] = rnd.nextFloat();
            target[i] = rnd.nextFloat() * 2 - 1;
        }
        return new NDList(create(manager, label, c), create(manager, cond, 3), create(manager, target, 3));
    }

    private NDArray create(NDManager manager, float[] v, int channels) {
        int r = model.resolution();
        return manager.create(v, new Shape(batchSize, channels, r, r));
    }
}
