package org.spadeanime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.io.Png;
import org.spadeanime.infer.Sampler;
import org.spadeanime.infer.TileRenderer;
import org.spadeanime.train.TrainedGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tile}: the result tile of a checkpoint or shipped weights. */
@Command(name = "tile", mixinStandardHelpOptions = true,
        description = {"Renders the result tile of a checkpoint in the original's layout — rows [label colours | real "
                + "| generated] for 1 training and 2 validation samples — with the run's samples and tile seed, so it "
                + "matches the tile the run drew at that step."})
public final class TileCommand implements Callable<Integer> {

    @CommandLine.Mixin
    GeneratorSource source;

    @Option(names = "--out", paramLabel = "FILE", description = "output PNG (default: tile-step-NNNNNNNN.png)")
    Path out;

    @Option(names = "--mode", defaultValue = "inference", converter = PredictCommand.ModeConverter.class,
            description = "batch norm while drawing: inference or batch-statistics (default ${DEFAULT-VALUE})")
    Sampler.Mode mode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainedGenerator t = source.locate();
        AnimeDataset d = t.options().runData().openOr(source.data, t.options().data());
        TileRenderer tiles = TileRenderer.of(d.split(t.options().seed(), t.options().validFraction()), d.palette(),
                t.options().tileSeed()).withMode(mode);
        Path file = out != null ? out : Path.of(String.format(Locale.ROOT, "tile-step-%08d.png", t.step()));
        try (NDManager manager = source.manager()) {
            Png.write(tiles.render(t.load(manager), manager), file);
        }
        spec.commandLine().getOut().println("wrote the tile of the " + t + " to " + file);
        return 0;
    }
}
