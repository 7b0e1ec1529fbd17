package org.spadeanime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.spadeanime.train.TrainOptions;
import org.spadeanime.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code resume}: continues a run from its newest readable checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continues a training run from its newest readable checkpoint, with the same weights, "
                + "optimizer moments, data position and seeds (a damaged newest checkpoint is skipped, with a note)."})
public final class ResumeCommand implements Callable<Integer> {

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "the run folder")
    Path run;

    @Option(names = "--steps", description = "stop after this many iterations (default: all remaining)")
    Long steps;

    @Option(names = "--iterations", description = "a new training length (extends or shortens the schedule)")
    Long iterations;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N")
    String device;

    @Option(names = "--threads", description = "intra-op CPU threads (0: one per core)")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (steps != null && steps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps " + steps + ": expected at least 1");
        }
        UnaryOperator<TrainOptions> adjust = o -> {
            TrainOptions a = o;
            if (iterations != null) {
                a = a.with("iterations", iterations);
            }
            if (device != null) {
                a = a.with("device", device);
            }
            if (threads != null) {
                a = a.with("threads", threads);
            }
            return a;
        };
        try (TrainingRun r = TrainingRun.resume(run, adjust)) {
            return TrainCommand.train(r, steps, r.options().logEvery(), spec.commandLine().getOut());
        }
    }
}
