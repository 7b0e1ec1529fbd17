package org.spadeanime.segment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.spadeanime.data.Batch;
import org.spadeanime.data.BatchStream;
import org.spadeanime.data.DataView;
import org.spadeanime.infer.Segmentation;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.Segmenter;
import org.spadeanime.optim.Adam;
import org.spadeanime.optim.PolySchedule;
import org.spadeanime.train.Pace;

/**
 * Trains a {@link Segmenter} on real illustrations → their label maps with per-pixel cross-entropy
 * over the label classes and background, Adam(0.9, 0.999) and a linear decay over the second half.
 * Several views (e.g. the synthetic set at 64² and at 128²) are taken in turn, one batch each, so
 * the one network reads both sizes the shipped generators draw at. Every step's arrays live in a
 * sub-manager closed at the end of the step; the result is deterministic for a recipe and data.
 */
public final class SegmenterTraining {

    /**
     * What a training is made of.
     *
     * @param iterations batches (one Adam update each)
     * @param batchSize images per batch
     * @param learningRate Adam's rate for the first half, then linear decay to 0
     * @param width the segmenter's width (channels of its first conv)
     * @param seed parameter initialisation and batch order
     */
    public record Recipe(int iterations, int batchSize, double learningRate, int width, int seed) {

        public Recipe {
            require(iterations >= 1, "iterations", iterations, "at least 1");
            require(batchSize >= 1, "batch", batchSize, "at least 1");
            require(learningRate > 0 && Double.isFinite(learningRate), "lr", learningRate, "a finite value > 0");
            require(width >= 1, "width", width, "at least 1");
        }

        /** The recipe of the shipped segmenter (weights/segment). */
        public static Recipe defaults() {
            return new Recipe(1000, 8, 2e-3, 16, 1);
        }

        private static void require(boolean ok, String option, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException("segmenter option " + option + " = " + value + ": expected "
                        + expected);
            }
        }
    }

    private SegmenterTraining() {}

    /**
     * Trains a new segmenter (its parameters in {@code manager}) on the views, in turn; {@code log}
     * gets a progress line about every 5 % of the iterations.
     */
    public static Segmenter train(Recipe recipe, List<DataView> views, NDManager manager, Consumer<String> log)
            throws IOException {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no data to train the segmenter on");
        }
        int classes = views.get(0).dataset().palette().channels();
        int resolution = 0;
        for (DataView v : views) {
            if (v.dataset().palette().channels() != classes) {
                throw new IllegalArgumentException(v.dataset().folder() + ": its palette has "
                        + v.dataset().palette().channels() + " label classes, the first data set's " + classes);
            }
            resolution = Math.max(resolution, v.dataset().resolution());
        }
        Engine.getInstance().setRandomSeed(recipe.seed());
        ModelOptions options = Segmenter.options(classes, recipe.width(), resolution);
        Segmenter net = new Segmenter(options);
        net.initialize(manager);
        ParameterStore store = new ParameterStore(manager, false);
        PolySchedule schedule = new PolySchedule(recipe.learningRate(), recipe.iterations(), 0.5, 1.0, 1);
        List<BatchStream> streams = new ArrayList<>();
        long start = System.nanoTime();
        int every = Math.max(1, recipe.iterations() / 20);
        double lossSum = 0;
        int lossCount = 0;
        try (Adam adam = new Adam(manager, recipe.learningRate(), 0.9, 0.999, 1e-8)) {
            for (int i = 0; i < views.size(); i++) {
                streams.add(views.get(i).stream(recipe.batchSize(), recipe.seed() + i, true));
            }
            for (int it = 0; it < recipe.iterations(); it++) {
                adam.setLearningRate(schedule.rate(it));
                try (NDManager step = manager.newSubManager()) {
                    Batch b = streams.get(it % streams.size()).next(step);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(store, new NDList(b.target()), true).head();
                        NDArray loss = crossEntropy(logits, b.label());
                        lossSum += loss.getFloat();
                        lossCount++;
                        gc.backward(loss);
                    }
                }
                adam.update(net);
                if ((it + 1) % every == 0 || it + 1 == recipe.iterations()) {
                    Pace pace = new Pace(0, recipe.iterations(), it + 1, (System.nanoTime() - start) / 1e9);
                    log.accept(String.format("segmenter %d/%d  loss %.4f  %.2f it/s  ETA %s", it + 1,
                            recipe.iterations(), lossSum / lossCount, pace.stepsPerSecond(),
                            Pace.clock(pace.etaSeconds())));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
        } finally {
            streams.forEach(BatchStream::close);
        }
        return net;
    }

    /**
     * Mean per-pixel cross-entropy of (B, C + 1, H, W) logits against a (B, C, H, W) one-hot label
     * without background (background = no channel set), the data's encoding.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray label) {
        return logits.logSoftmax(1).mul(Segmentation.withBackground(label)).sum(new int[] {1}).mean().neg();
    }
}
