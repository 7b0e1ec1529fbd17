package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.data.SyntheticRecipe;
import org.spadeanime.io.BadInputException;
import org.spadeanime.train.TrainedGenerator;
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

    /**
     * The data set of {@code t}'s run, or --data. Shipped weights record their synthetic set
     * ({@link SyntheticRecipe}): when it is missing (a fresh clone) it is made here, once, with a line
     * saying so; without a recipe the error names --data and the synth command.
     */
    AnimeDataset openData(TrainedGenerator t) throws IOException {
        Path dir = t.options().data();
        if (data == null && dir != null && !Files.isDirectory(dir)) {
            SyntheticRecipe recipe = SyntheticRecipe.in(t.generatorFile().getParent());
            if (recipe == null) {
                throw new BadInputException(dir, "the data folder this generator trained on is missing: pass --data DIR"
                        + " (its data set), or make a synthetic set with `synth --size " + t.options().model().resolution()
                        + " --out " + dir + "`");
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("making the synthetic data these weights trained on (once; the same as `" + recipe.command(dir)
                    + "`) ...");
            err.flush();
            SyntheticAnime.WriteReport r = recipe.make(dir, Runtime.getRuntime().availableProcessors());
            err.printf(Locale.ROOT, "wrote %d samples to %s in %.1f s%n", r.count(), dir, r.seconds());
        }
        return t.options().runData().openOr(data, dir);
    }

    /** A manager on --device. */
    NDManager manager() {
        return NDManager.newBaseManager(DjlRuntime.device(device));
    }
}
