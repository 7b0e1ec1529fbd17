package org.spadeanime.train;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Hooks into a {@link TrainingRun}, all called on the thread that runs {@link TrainingRun#train},
 * in order. A notebook's training cell can therefore update its displays (a live chart, a progress
 * bar) from these methods: Jupyter kernels only show displays made from the cell's own thread.
 * Every method has an empty default. A listener that throws stops the run with that exception
 * (the newest checkpoint on disk stays valid); interrupting the training thread instead ends the
 * run after the current iteration, with a checkpoint of it. A listener that throws while the thread
 * is interrupted (a notebook kernel's stop check firing in listener code) counts as such an
 * interrupt: checkpoint, {@link #onFinish}, then {@link TrainingRun#train} rethrows.
 */
public interface TrainingListener {

    /** Before the first iteration of a {@link TrainingRun#train} call. */
    default void onStart(TrainingRun run, long fromStep, long toStep) {}

    /** After every iteration. */
    default void onStep(StepMetrics metrics) {}

    /** After a tile was rendered and saved to {@code file}. */
    default void onTile(long step, BufferedImage tile, Path file) {}

    /** After a checkpoint of {@code step} was completely written to {@code folder}. */
    default void onCheckpoint(long step, Path folder) {}

    /** Notes worth a user's attention (a missing VGG file, a skipped update, a fallback checkpoint). */
    default void onMessage(String message) {}

    /** After the last iteration of a {@link TrainingRun#train} call (also when stopped early). */
    default void onFinish(long step) {}
}
