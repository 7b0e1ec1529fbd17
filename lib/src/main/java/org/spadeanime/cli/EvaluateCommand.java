package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DataSplit;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.train.HeldOutEvaluation;
import org.spadeanime.train.TrainOptions;
import org.spadeanime.train.TrainedGenerator;
import org.spadeanime.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: notebook 07's held-out scores for one generator, from a terminal. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a generator on the validation split of its run (the images it never trained on): "
                + "mean L1 and PSNR against the real illustrations, and hair ΔE2000 between the requested and the "
                + "generated hair colour, with the real illustrations' own ΔE2000 as the floor. Draws in inference mode."})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--from", paramLabel = "PATH", required = true,
            description = "a run folder (its newest checkpoint), a checkpoint folder or a weights folder")
    Path from;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: the one the run trained on, "
            + "split with the run's seed and fraction)")
    Path data;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write one row per image to this CSV")
    Path csv;

    @Option(names = "--seed", defaultValue = "0", description = "noise seed (default ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE})")
    String device;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> notes = new ArrayList<>();
        TrainedGenerator trained = TrainedGenerator.locate(from, notes);
        notes.forEach(n -> spec.commandLine().getErr().println("note: " + n));
        TrainOptions o = trained.options();
        Path dir = data != null ? data : trained.data(Path.of(""));
        AnimeDataset dataset = TrainingRun.openData(o, dir, data != null ? "data" : "data (recorded with the "
                + "generator; pass --data to use another folder)");
        DataSplit split = dataset.split(o.seed(), o.validFraction());
        HeldOutEvaluation.Result scores;
        try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device(device))) {
            SpadeGenerator g = trained.load(manager);
            scores = HeldOutEvaluation.evaluate(g, split.valid(), seed, manager);
        }
        spec.commandLine().getOut().println(trained + "\nvalidation split of " + dir + ", " + scores);
        if (csv != null) {
            AtomicFiles.writeString(csv, scores.table().write().toString("csv"));
            spec.commandLine().getOut().println("wrote " + scores.size() + " rows to " + csv);
        }
        return 0;
    }
}
