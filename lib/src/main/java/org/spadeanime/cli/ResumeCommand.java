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

    @CommandLine.Mixin
    TrainCommand.Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UnaryOperator<TrainOptions> adjust;
        try {
            session.apply(TrainOptions.tiny()); // checks the flags before any work
            adjust = session::apply;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (TrainingRun r = TrainingRun.resume(run, adjust)) {
            return TrainCommand.train(r, session.steps, r.options().logEvery(), spec.commandLine().getOut());
        }
    }
}
