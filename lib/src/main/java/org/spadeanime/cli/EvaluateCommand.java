package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DataSplit;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.model.Segmenter;
import org.spadeanime.segment.TrainedSegmenter;
import org.spadeanime.infer.HeldOutEvaluation;
import org.spadeanime.infer.ReferenceDrawings;
import org.spadeanime.train.TrainedGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: notebook 07's held-out scores for one generator, from a terminal. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a generator on the validation split of its run (the images it never trained on): "
                + "mean L1 and PSNR against the real illustrations, and hair ΔE2000 between the requested and the "
                + "generated hair colour, with the real illustrations' own ΔE2000 as the floor; with a segmenter, the "
                + "segmentation-consistency mIoU of the drawn images against their labels beside the real images' own. "
                + "Draws in inference mode."})
public final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    GeneratorSource source;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write one row per image to this CSV")
    Path csv;

    @Option(names = "--seed", defaultValue = "0", description = "noise seed (default ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--segmenter", paramLabel = "DIR|none", defaultValue = "weights/segment",
            description = "segmenter folder for the mIoU score, or none (default ${DEFAULT-VALUE}; skipped with a note "
                    + "when the default is missing)")
    String segmenter;

    @Option(names = "--references", description = "also score three drawings made without a generator on the same split: "
            + "flat class colours (each class its training median colour, the hair the requested colour: a generator "
            + "should beat it) and the real illustration with a flat background (its background the training median: "
            + "where the background tint is in no input, as in the synthetic set, a floor no generator reaches), and the "
            + "real illustration box-blurred 3×3 (what blur alone scores)")
    boolean references;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The segmenter folder to score with, or null. */
    private Path segmenterFolder(PrintWriter err) {
        if (segmenter.equals("none")) {
            return null;
        }
        Path dir = Path.of(segmenter);
        if (!Files.exists(dir) && dir.equals(TrainedSegmenter.SHIPPED)) {
            err.println("no mIoU: " + dir + " is missing (run from the repository root, or train one with "
                    + "train-segmenter; --segmenter none skips this note)");
            return null;
        }
        return dir;
    }

    @Override
    public Integer call() throws Exception {
        TrainedGenerator trained = source.locate();
        AnimeDataset dataset = source.openData(trained);
        DataSplit split = dataset.split(trained.options().seed(), trained.options().validFraction());
        HeldOutEvaluation.Result scores;
        HeldOutEvaluation.Result flat = null;
        HeldOutEvaluation.Result flatBackground = null;
        HeldOutEvaluation.Result blurred = null;
        PrintWriter err = spec.commandLine().getErr();
        Path segmenterDir = segmenterFolder(err);
        try (NDManager manager = source.manager()) {
            Segmenter seg = segmenterDir == null ? null : TrainedSegmenter.load(segmenterDir, manager);
            long t0 = System.nanoTime();
            int every = Math.max(1, split.valid().size() / 10);
            // a line per ~10% (≈ 4 s each for weights/tiny on 2 cores): the whole split takes ≈ 40 s there;
            // a split scored within 2 s gets only the final line
            scores = HeldOutEvaluation.evaluate(trained.load(manager), split.valid(), seed, manager, seg,
                    (done, total) -> {
                double s = (System.nanoTime() - t0) / 1e9;
                if (done == total || s >= 2 && done / every != (done - HeldOutEvaluation.BATCH_SIZE) / every) {
                    err.printf(Locale.ROOT, "evaluating: %d/%d images, %.0f s, ETA %.0f s%n", done, total, s,
                            s / done * (total - done));
                    err.flush();
                }
            });
            if (references) {
                ReferenceDrawings drawings = ReferenceDrawings.of(split.train());
                flat = HeldOutEvaluation.evaluate(split.valid(), HeldOutEvaluation.BATCH_SIZE, manager, drawings.flat(),
                        seg, (done, total) -> { });
                flatBackground = HeldOutEvaluation.evaluate(split.valid(), HeldOutEvaluation.BATCH_SIZE, manager,
                        drawings.realWithFlatBackground(), seg, (done, total) -> { });
                blurred = HeldOutEvaluation.evaluate(split.valid(), HeldOutEvaluation.BATCH_SIZE, manager,
                        ReferenceDrawings.blurred(3), seg, (done, total) -> { });
            }
        }
        Path dir = source.data != null ? source.data : trained.options().data();
        PrintWriter out = spec.commandLine().getOut();
        out.println(trained + "\nvalidation split of " + dir + ", " + scores);
        if (references) {
            out.println("reference, flat class colours (training medians, the hair its requested colour), " + flat);
            out.println("reference, the real illustrations with a flat background (the training median), " + flatBackground);
            out.println("reference, the real illustrations box-blurred 3×3, " + blurred);
        }
        if (csv != null) {
            AtomicFiles.writeString(csv, scores.table().write().toString("csv"));
            out.println("wrote " + scores.size() + " rows to " + csv);
        }
        return 0;
    }
}
