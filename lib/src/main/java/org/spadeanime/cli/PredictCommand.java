package org.spadeanime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.train.TrainedGenerator;
import org.spadeanime.infer.Predictor;
import org.spadeanime.infer.Sampler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code predict}: label maps in, [label | generated] PNGs out. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Draws illustrations for label maps with a trained generator and writes [label | generated] "
                + "side by side, like the original, at the input's size (--size model: at the model's resolution). An "
                + "input is a square label PNG (a random hair colour, from --seed, fills the hair), a [label | "
                + "hair-colour map] PNG of width 2×height, or a folder of them."})
public final class PredictCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "label PNGs, [label | colour] PNGs or folders")
    List<Path> inputs;

    @Option(names = "--from", paramLabel = "PATH", required = true,
            description = "a weights folder, a run folder (its newest checkpoint), a checkpoint folder, or a generator"
                    + " .ckpt file")
    Path from;

    @Option(names = "--size", defaultValue = "input", paramLabel = "input|model",
            description = "write at the input label's size (the generated image upsampled from the model's resolution)"
                    + " or at the model's resolution (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--raw", description = "draw with the raw generator the optimizer trained, not its moving average")
    boolean raw;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "predictions",
            description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the hair colours and the noise (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--palette", paramLabel = "FILE", description = "label palette JSON (default: the run's data"
            + " palette.json, else the anime palette)")
    Path palette;

    @Option(names = "--mode", defaultValue = "inference", converter = ModeConverter.class,
            description = "batch norm while drawing: inference (running averages) or batch-statistics (as in a "
                    + "training forward) (default ${DEFAULT-VALUE})")
    Sampler.Mode mode;

    @CommandLine.Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Parses --mode for predict and tile. */
    static final class ModeConverter implements CommandLine.ITypeConverter<Sampler.Mode> {
        @Override
        public Sampler.Mode convert(String value) {
            try {
                return Sampler.Mode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        engine.applyThreads();
        LabelPalette p = palette == null ? null : LabelPalette.load(palette);
        PrintWriter log = spec.commandLine().getOut();
        Predictor.OutputSize outputSize;
        try {
            outputSize = Predictor.OutputSize.parse(size);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size: " + e.getMessage());
        }
        List<String> notes = new java.util.ArrayList<>();
        try (Predictor predictor = TrainedGenerator.predictor(from, p, mode, engine.device, raw, notes)) {
            notes.forEach(n -> spec.commandLine().getErr().println("note: " + n));
            log.println("drawing with the " + predictor.source());
            List<Path> written = predictor.predictAll(inputs, out, seed, outputSize, log::println);
            written.forEach(f -> log.println("wrote " + f));
            log.println(written.size() + " prediction(s) in " + out);
        }
        return 0;
    }
}
