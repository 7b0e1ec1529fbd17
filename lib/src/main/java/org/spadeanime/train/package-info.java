/**
 * Training the SPADE generator against the patch discriminator, as the original does, with
 * checkpoints that survive kill -9, metrics, tiles and prediction.
 *
 * <ul>
 *   <li>{@link org.spadeanime.train.TrainOptions}: every training choice (presets {@code paper()},
 *       {@code tiny()}); JSON in every run folder and checkpoint.</li>
 *   <li>{@link org.spadeanime.train.Trainer}: the updates — n_dis D steps, then a G step with D
 *       frozen; one resumable Adam per network; poly decay; rough data; NaN stop/skip.</li>
 *   <li>{@link org.spadeanime.train.TrainingRun}: a run folder ({@link org.spadeanime.train.RunFolder})
 *       with data streams, {@link org.spadeanime.train.MetricsLog metrics.csv}, tiles
 *       ({@link org.spadeanime.infer.TileRenderer}), loss charts and atomic
 *       {@link org.spadeanime.train.TrainingCheckpoint checkpoints}; {@code resume} continues exactly.</li>
 *   <li>{@link org.spadeanime.train.TrainingListener}: on step / tile / checkpoint / message, called
 *       on the training thread — what a notebook cell needs to update a live chart and a progress bar.</li>
 *   <li>{@link org.spadeanime.train.TrainedGenerator}: shipped weights or a run's newest checkpoint,
 *       to draw with ({@link org.spadeanime.infer} draws and scores; it does not depend on this package).</li>
 * </ul>
 *
 * <p>A notebook cell that trains with a live chart (JJava/IJava {@code display}/{@code updateDisplay}):
 * <pre>{@code
 * LossChart chart = new LossChart("losses", 800, 360).smoothing(0.9);
 * String id = display(chart.render());
 * try (TrainingRun run = TrainingRun.start(Path.of("runs/demo"), TrainOptions.tiny().withData(Path.of("data/synthetic")))) {
 *     run.addListener(new TrainingListener() {
 *         public void onStep(StepMetrics m) {
 *             chart.addAll(m.step(), m.losses());
 *             if (m.step() % 10 == 0) updateDisplay(id, chart.render());
 *         }
 *     });
 *     run.train(200);
 * }
 * }</pre>
 *
 * <p>Memory: every array of an update lives in a sub-manager of {@link org.spadeanime.train.Trainer#manager()}
 * that is closed after the optimizer step, so the manager's array count is the same after every
 * iteration. Scalars that enter autograd graphs are made with {@code NDManager.full} (see
 * {@code Trainer.times}): DJL's {@code mul(Number)} frees its operand's memory before backward reads it.
 */
package org.spadeanime.train;
