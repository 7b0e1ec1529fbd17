/**
 * Drawing and scoring with a trained generator; nothing here trains.
 *
 * <ul>
 *   <li>{@link org.spadeanime.infer.Sampler}: one forward, inference-mode batch norm by default, or
 *       with batch statistics and the buffers restored afterwards ({@link org.spadeanime.infer.BufferSnapshot}).</li>
 *   <li>{@link org.spadeanime.infer.TileRenderer} (the original's result tile),
 *       {@link org.spadeanime.infer.HairSweep} (one label, many hair colours),
 *       {@link org.spadeanime.infer.HeldOutEvaluation} (L1 / PSNR / hair ΔE on a split) and
 *       {@link org.spadeanime.infer.Predictor} (label PNGs in, illustrations out).</li>
 *   <li>{@link org.spadeanime.infer.NoGrad}: forwards that record no graph.</li>
 * </ul>
 *
 * <p>Layering: this package sees data, io, label, metrics, model and viz, never train; training
 * uses it (tiles during a run, the undo of a skipped update). Finding a trained generator — shipped
 * weights or a run's checkpoints — reads training's files, so it is {@code train.TrainedGenerator},
 * which also opens a {@link org.spadeanime.infer.Predictor} on a weights, run or checkpoint folder.
 */
package org.spadeanime.infer;
