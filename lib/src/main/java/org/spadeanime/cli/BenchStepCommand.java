package org.spadeanime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.spadeanime.DjlRuntime;
import org.spadeanime.metrics.Stats;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.train.StepBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-step}: median D-step and G-step times of the DJL trainer against the same
 * architecture, losses and thread settings in PyTorch (lib/src/test/python/bench_step.py), and a
 * long-run memory check (RSS growth and managed-array count).
 */
@Command(name = "bench-step", mixinStandardHelpOptions = true,
        description = {"Times the trainer's D and G updates (medians after warm-up) at tiny() and at 128²/ngf 32/"
                + "batch 4, runs the PyTorch script of the same model and losses with the same threads, and prints "
                + "the DJL/PyTorch ratio per step kind (with --onednn also DJL with oneDNN convolutions); then trains --memory-steps tiny() iterations and prints the "
                + "RSS growth after warm-up and the managed-array count.",
            "Run it on a quiet machine: the load average is printed with the results."})
public final class BenchStepCommand implements Callable<Integer> {

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads of both engines (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "20", description = "untimed updates of each kind first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--steps", defaultValue = "50", description = "timed updates of each kind (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--configs", split = ",", defaultValue = "tiny,128",
            description = "which set-ups: tiny (64², ngf 8, batch 4), 128 (128², ngf = ndf = 32, batch 4), cpu128 (the "
                    + "cpu128 preset's model, batch 4: no mapping network, reflect padding in G) and cpu128-zeros (the same "
                    + "with zero padding); the cpu128 set-ups have no PyTorch script and print the reflect/zeros ratio "
                    + "when both run")
    List<String> configs;

    @Option(names = "--memory-steps", defaultValue = "2000", description = "tiny() iterations of the memory check; 0 skips it (default ${DEFAULT-VALUE})")
    long memorySteps;

    @Option(names = "--memory-warmup", defaultValue = "200", description = "iterations before the RSS baseline (default ${DEFAULT-VALUE})")
    long memoryWarmup;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--torch-script", defaultValue = "lib/src/test/python/bench_step.py",
            description = "the PyTorch benchmark script (default ${DEFAULT-VALUE}); --no-torch skips it")
    Path script;

    @Option(names = "--no-torch", description = "time DJL only")
    boolean noTorch;

    @Option(names = "--onednn", description = "also time each set-up with libtorch's oneDNN convolutions (the kit runs "
            + "them on ATen: oneDNN gets gradients wrong on some CPUs, so only its speed is measured) and print "
            + "the ATen/oneDNN ratio")
    boolean oneDnn;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || warmup < 0 || steps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads and --steps must be >= 1 and --warmup >= 0");
        }
        if (!noTorch && !Files.isRegularFile(script)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--torch-script " + script
                    + ": no such file (run from the repository root, pass its path, or use --no-torch)");
        }
        DjlRuntime.threads(threads);
        DjlRuntime.init();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench-step: %d thread(s), %d warm-up + %d timed updates; load average %s%n",
                threads, warmup, steps, loadAverage());
        List<String> rows = new ArrayList<>();
        List<String> backendRows = new ArrayList<>();
        java.util.Map<String, StepBenchmark.Timings> timings = new java.util.HashMap<>();
        for (String c : configs) {
            int batch = 4;
            ModelOptions m = switch (c.trim()) {
                case "tiny" -> ModelOptions.tiny();
                case "128" -> ModelOptions.paper().withResolution(128).withNgf(32).withNdf(32);
                case "cpu128" -> ModelOptions.cpu128();
                case "cpu128-zeros" -> ModelOptions.cpu128().with(b -> b.generatorPadding(ModelOptions.Padding.ZEROS));
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--configs " + c + ": expected tiny, 128, cpu128 or cpu128-zeros");
            };
            // bench_step.py builds the original's generator only (mapping network, zero padding)
            boolean torchModel = !c.trim().startsWith("cpu128");
            String name = String.format(Locale.ROOT, "%s (%d², ngf %d, batch %d)", c.trim(), m.resolution(), m.ngf(), batch);
            out.println("timing DJL " + name + " ...");
            out.flush();
            StepBenchmark.Timings djl = StepBenchmark.time(name, m, batch, threads, warmup, steps, false);
            timings.put(c.trim(), djl);
            if (oneDnn) {
                out.println("timing DJL with oneDNN convolutions " + name + " ...");
                out.flush();
                StepBenchmark.Timings dnn = StepBenchmark.time(name, m, batch, threads, warmup, steps, true);
                backendRows.add(row(name, "D", djl.dMedian(), dnn.dMedian()));
                backendRows.add(row(name, "G", djl.gMedian(), dnn.gMedian()));
            }
            double[][] torch = null;
            if (!noTorch && torchModel) {
                out.println("timing PyTorch " + name + " ...");
                out.flush();
                torch = StepBenchmark.parseTorch(runTorch(m, batch));
            }
            rows.add(row(name, "D", djl.dMedian(), torch == null ? Double.NaN : Stats.median(torch[0])));
            rows.add(row(name, "G", djl.gMedian(), torch == null ? Double.NaN : Stats.median(torch[1])));
        }
        out.printf(Locale.ROOT, "%-32s %-4s %12s %12s %8s%n", "set-up", "step", "DJL ms", "PyTorch ms", "ratio");
        rows.forEach(out::println);
        StepBenchmark.Timings reflect = timings.get("cpu128");
        StepBenchmark.Timings zeros = timings.get("cpu128-zeros");
        if (reflect != null && zeros != null) {
            out.printf(Locale.ROOT, "%-32s %-4s %12s %12s %8s%n", "set-up", "step", "reflect ms", "zeros ms", "ratio");
            out.println(row("cpu128: G's padding", "D", reflect.dMedian(), zeros.dMedian()));
            out.println(row("cpu128: G's padding", "G", reflect.gMedian(), zeros.gMedian()));
        }
        if (oneDnn) {
            out.printf(Locale.ROOT, "%-32s %-4s %12s %12s %8s%n", "set-up", "step", "ATen ms", "oneDNN ms", "ratio");
            backendRows.forEach(out::println);
        }
        if (memorySteps > 0) {
            out.printf(Locale.ROOT, "memory: %d tiny() iterations (batch 4) ...%n", memorySteps);
            out.flush();
            long every = Math.max(1, memorySteps / 10);
            StepBenchmark.Memory mem = StepBenchmark.memory(ModelOptions.tiny(), 4, threads, memorySteps,
                    memoryWarmup, i -> {
                        if (i % every == 0) {
                            out.printf(Locale.ROOT, "  %d / %d, RSS %.0f MiB%n", i, memorySteps, StepBenchmark.rssMb());
                            out.flush();
                        }
                    });
            out.printf(Locale.ROOT, "memory: RSS %.0f MiB after %d warm-up iterations, %.0f MiB after %d (growth %+.1f %%);"
                    + " managed arrays %d..%d (%s); %.3f s/iteration%n", mem.rssAfterWarmupMb(), mem.warmup(),
                    mem.rssEndMb(), mem.steps(), mem.rssGrowthPercent(), mem.arraysMin(), mem.arraysMax(),
                    mem.arraysMin() == mem.arraysMax() ? "constant" : "NOT constant", mem.secondsPerStep());
        }
        out.println("load average at the end: " + loadAverage());
        return 0;
    }

    private static String row(String name, String kind, double djl, double torch) {
        return String.format(Locale.ROOT, "%-32s %-4s %12.1f %12.1f %8.2f", name, kind, djl, torch, djl / torch);
    }

    private String runTorch(ModelOptions m, int batch) throws IOException, InterruptedException {
        List<String> cmd = List.of(python, script.toString(), "--resolution", "" + m.resolution(), "--ngf", "" + m.ngf(),
                "--ndf", "" + m.ndf(), "--spade-ch", "" + m.spadeCh(), "--batch", "" + batch, "--threads", "" + threads,
                "--warmup", "" + warmup, "--steps", "" + steps);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")");
        }
        String[] lines = stdout.split("\n");
        return lines[lines.length - 1];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
