package org.spadeanime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spadeanime.io.Manifest;
import org.spadeanime.train.TrainedGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code export}: a run's generator as shippable weights (weights/&lt;preset&gt;/). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the generator of a run's newest checkpoint (or of a checkpoint folder) as a weights "
                + "folder: generator.ckpt, weights.json (step, training time, the run's options) and manifest.json, "
                + "written as a whole (a failed export leaves the previous folder; other files there are kept), "
                + "only from a finite generator. Notebook 06 "
                + "draws with weights/<preset>/ when it exists; predict takes its generator.ckpt."})
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--from", paramLabel = "PATH", required = true,
            description = "a run folder (its newest readable checkpoint) or a checkpoint folder")
    Path from;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the weights folder, e.g. weights/tiny")
    Path out;

    @Option(names = "--base", paramLabel = "DIR", defaultValue = ".",
            description = "a data folder inside DIR is recorded relative to it (default: the current folder, the "
                    + "repository root)")
    Path base;

    @Option(names = "--data", paramLabel = "DIR", description = "record DIR as the data folder instead of the run's "
            + "(the same data set, where users find or regenerate it)")
    Path data;

    @Option(names = "--raw", description = "write the raw generator the optimizer trained, not its moving average "
            + "(the default where the run kept one, emaDecay > 0)")
    boolean raw;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainedGenerator g = TrainedGenerator.export(from, out, base, data, raw);
        spec.commandLine().getOut().println("exported the " + g + " to the weights folder " + out + " ("
                + TrainedGenerator.GENERATOR + ", " + TrainedGenerator.DESCRIPTION + ", " + Manifest.FILE + ")");
        return 0;
    }
}
