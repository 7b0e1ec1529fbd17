package org.spadeanime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The kit's command line: {@code java -jar lib/target/lib/spade-anime.jar <command> ...}. */
@Command(name = "spade-anime", mixinStandardHelpOptions = true, version = "spade-anime 0.1.0",
        description = "SPADE pix2pix for anime illustrations: data, training, prediction.",
        subcommands = {CommandLine.HelpCommand.class, SynthCommand.class, TrainCommand.class, ResumeCommand.class,
            PredictCommand.class, TileCommand.class, EvaluateCommand.class, ExportCommand.class, ServeCommand.class, TrainSegmenterCommand.class, SegmentCommand.class, DoctorCommand.class, BenchForwardCommand.class, BenchStepCommand.class, BenchConvCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests and notebooks). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
