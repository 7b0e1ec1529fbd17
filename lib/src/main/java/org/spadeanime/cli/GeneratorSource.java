package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.train.TrainedGenerator;
import org.spadeanime.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of commands that draw with a trained generator on its run's data (tile, evaluate). */
final class GeneratorSource {

    @Option(names = "--from", paramLabel = "PATH", required = true,
            description = "a run folder (its newest checkpoint), a checkpoint folder or a weights folder")
    Path from;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: the one the run trained on; "
            + "split with the run's seed and fraction)")
    Path data;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--raw", description = "draw with the raw generator the optimizer trained, not its moving "
            + "average (runs and checkpoints with emaDecay > 0 keep both)")
    boolean raw;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** The generator in --from; skipped damaged checkpoints are noted on stderr. */
    TrainedGenerator locate() throws IOException {
        List<String> notes = new ArrayList<>();
        TrainedGenerator t = TrainedGenerator.locate(from, notes, raw);
        notes.forEach(n -> spec.commandLine().getErr().println("note: " + n));
        return t;
    }

    /** The data set of {@code t}'s run, or --data. */
    AnimeDataset openData(TrainedGenerator t) throws IOException {
        return TrainingRun.openRunData(t.options(), data);
    }

    /** A manager on --device. */
    NDManager manager() {
        return NDManager.newBaseManager(DjlRuntime.device(device));
    }
}
