package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DataSplit;
import org.spadeanime.data.DataView;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.SyntheticRecipe;
import org.spadeanime.infer.Segmentation;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.metrics.ConfusionMatrix;
import org.spadeanime.model.Segmenter;
import org.spadeanime.segment.SegmenterTraining;
import org.spadeanime.segment.TrainedSegmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train-segmenter}: the illustration → label network behind evaluate's mIoU and {@code segment}. */
@Command(name = "train-segmenter", mixinStandardHelpOptions = true,
        description = {"Trains a small segmenter on real illustrations → their labels (cross-entropy, several data "
                + "sets in turn), scores it on each set's validation split and writes a segmenter folder. Without "
                + "--data it trains on the kit's own synthetic sets at 64² and 128² (seed 7, made on demand in "
                + "build/segment/), the recipe of the shipped weights/segment."})
public final class TrainSegmenterCommand implements Callable<Integer> {

    /** The shipped segmenter's data: synthetic sets of their own seed, so no generator's held-out image is in them. */
    static final List<SyntheticRecipe> SHIPPED_DATA = List.of(new SyntheticRecipe(1000, 64, 7),
            new SyntheticRecipe(1000, 128, 7));

    @Option(names = "--data", paramLabel = "DIR", description = "a data set to train on (repeatable; default: "
            + "the synthetic sets of the shipped segmenter)")
    List<Path> data = new ArrayList<>();

    @Option(names = "--out", defaultValue = "weights/segment", description = "segmenter folder to write "
            + "(default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--iterations", description = "Adam updates (default: the shipped recipe's)")
    Integer iterations;

    @Option(names = "--batch", description = "images per batch (default: the shipped recipe's)")
    Integer batch;

    @Option(names = "--lr", description = "learning rate (default: the shipped recipe's)")
    Double lr;

    @Option(names = "--width", description = "channels of the first conv (default: the shipped recipe's)")
    Integer width;

    @Option(names = "--seed", description = "initialisation and batch order (default: the shipped recipe's)")
    Integer seed;

    @Option(names = "--valid", defaultValue = "0.1", description = "held-out fraction of each data set "
            + "(default ${DEFAULT-VALUE})")
    double valid;

    @CommandLine.Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        engine.applyThreads();
        SegmenterTraining.Recipe d = SegmenterTraining.Recipe.defaults();
        SegmenterTraining.Recipe recipe = new SegmenterTraining.Recipe(iterations == null ? d.iterations() : iterations,
                batch == null ? d.batchSize() : batch, lr == null ? d.learningRate() : lr,
                width == null ? d.width() : width, seed == null ? d.seed() : seed);
        List<Path> dirs = data.isEmpty() ? shippedData(out) : data;
        List<AnimeDataset> sets = new ArrayList<>();
        List<DataSplit> splits = new ArrayList<>();
        for (Path dir : dirs) {
            AnimeDataset set = openAtOwnSize(dir);
            sets.add(set);
            splits.add(set.split(recipe.seed(), valid));
            out.printf("train-segmenter: %s, %d images at %d², %d held out%n", dir, set.size(), set.resolution(),
                    splits.get(splits.size() - 1).valid().size());
        }
        LabelPalette palette = sets.get(0).palette();
        try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device(engine.device))) {
            List<DataView> train = splits.stream().map(DataSplit::train).toList();
            long t0 = System.nanoTime();
            Segmenter net = SegmenterTraining.train(recipe, train, manager, line -> {
                out.println(line);
                out.flush();
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<TrainedSegmenter.HeldOut> heldOut = new ArrayList<>();
            for (int i = 0; i < sets.size(); i++) {
                DataView v = splits.get(i).valid();
                ConfusionMatrix m = Segmentation.score(net, v, manager);
                heldOut.add(new TrainedSegmenter.HeldOut(dirs.get(i).toString(), sets.get(i).resolution(), v.size(),
                        m.pixelAccuracy(), m.meanIoU()));
            }
            TrainedSegmenter written = TrainedSegmenter.write(this.out, net, palette, recipe,
                    dirs.stream().map(Path::toString).toList(), seconds, heldOut);
            out.println("wrote " + written);
        }
        return 0;
    }

    /** A data set at the size of its own images (the height of its first file), not resized. */
    static AnimeDataset openAtOwnSize(Path dir) throws IOException {
        AnimeDataset probe = AnimeDataset.open(dir, DatasetOptions.defaults());
        if (probe.size() == 0) {
            throw new BadInputException(dir, "no samples to train the segmenter on");
        }
        int size = Png.size(probe.file(0)).height;
        return size == probe.resolution() ? probe
                : AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(size));
    }

    /** The shipped segmenter's synthetic sets, made where missing. */
    private static List<Path> shippedData(PrintWriter out) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (SyntheticRecipe r : SHIPPED_DATA) {
            Path dir = Path.of("build", "segment", "synthetic-" + r.size());
            var report = r.make(dir, Runtime.getRuntime().availableProcessors());
            if (report.count() > 0) {
                out.println("made " + report.count() + " samples in " + dir + " (" + r.command(dir) + ")");
            }
            dirs.add(dir);
        }
        return dirs;
    }
}
