package org.spadeanime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spadeanime.train.ProgressLine;
import org.spadeanime.train.TrainOptions;
import org.spadeanime.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: starts a training run in a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains the SPADE generator and the patch discriminator into a run folder: options.json, "
                + "metrics.csv, tiles/ and checkpoints/ (written atomically; continue a stopped run with resume).",
            "Options come from a preset, then an options file, then the flags (each overrides the previous)."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "tiny", description = "tiny (64², CPU-sized), cpu128 (128², ngf 16, the shipped weights/cpu128 recipe), cpu128-l1 (the same "
            + "with L1 λ 1000 and lr G 5e-4: weights/cpu128-l1), mid (128², ngf 32) or paper"
            + " (the original's 256² set-up) (default ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--options", paramLabel = "FILE", description = "train options JSON (as written to a run's"
            + " options.json); its fields override the preset")
    Path optionsFile;

    @Option(names = "--data", paramLabel = "DIR", description = "training data folder (default: the options' data)")
    Path data;

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "run folder to create or fill")
    Path run;

    @CommandLine.Mixin
    Session session;

    @Option(names = "--batch", description = "batch size")
    Integer batch;

    @Option(names = "--seed", description = "seed of weights, noise and data order")
    Long seed;

    @Option(names = "--rough-data", paramLabel = "DIR", description = "optional second (rough) data set")
    Path roughData;

    @Option(names = "--vgg", paramLabel = "FILE", description = "VGG weights for the perceptual loss")
    Path vgg;

    @Option(names = "--skip-bad", description = "skip unusable data files, logging each with its reason, instead of"
            + " stopping at the first (kept in options.json as skipBad: resume skips them too)")
    boolean skipBad;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "any option, e.g. --set lrG=1e-4 --set "
            + "model.ngf=16 --set nanPolicy=skip (repeatable)")
    List<String> sets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The flags train and resume share: how long, where and on how many threads. */
    static final class Session {

        @Option(names = "--steps", description = "stop after this many iterations in this invocation (default: all"
                + " remaining up to iterations)")
        Long steps;

        @Option(names = "--iterations", description = "length of training (the poly schedule ends here)")
        Long iterations;

        @Option(names = "--device", description = "auto, cpu, gpu or gpu:N")
        String device;

        @Option(names = "--threads", description = "intra-op CPU threads (0: one per core)")
        Integer threads;

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        /** The options with these flags applied. */
        TrainOptions apply(TrainOptions o) {
            if (steps != null && steps < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--steps " + steps + ": expected at least 1");
            }
            return set(set(set(o, "iterations", iterations), "device", device), "threads", threads);
        }
    }

    @Override
    public Integer call() throws Exception {
        TrainOptions o = options();
        try (TrainingRun r = TrainingRun.start(run, o)) {
            return train(r, session.steps, o.logEvery(), spec.commandLine().getOut());
        }
    }

    /** The options from preset, file and flags; a bad value is a usage error naming the option. */
    TrainOptions options() throws java.io.IOException {
        try {
            TrainOptions o = TrainOptions.preset(preset);
            if (optionsFile != null) {
                o = o.withJson(optionsFile);
            }
            o = session.apply(set(o, "data", data));
            o = set(o, "batchSize", batch);
            o = set(o, "seed", seed);
            o = set(o, "roughData", roughData);
            o = set(o, "vggWeights", vgg);
            o = skipBad ? o.with(b -> b.skipBad(true)) : o;
            for (String s : sets) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set " + s + ": expected NAME=VALUE, e.g. --set lrG=1e-4");
                }
                o = o.with(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
            return o;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static TrainOptions set(TrainOptions o, String name, Object value) {
        return value == null ? o : o.with(name, value);
    }

    /**
     * Trains {@code steps} (null: all remaining) iterations with a progress line on {@code out};
     * shared by train and resume.
     */
    static int train(TrainingRun run, Long steps, int every, PrintWriter out) throws java.io.IOException {
        run.addListener(new ProgressLine(out, Math.max(1, every), System.console() != null));
        run.train(steps == null ? Long.MAX_VALUE : steps);
        out.println("continue with: spade-anime resume --run " + run.folder().root()
                + (run.step() >= run.options().iterations() ? " --iterations N (training is complete)" : ""));
        return 0;
    }
}
