package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.cli.Main;

/**
 * A real training process (the CLI in a child JVM) killed with SIGKILL mid-run: every checkpoint
 * left behind is readable, at most checkpointEvery steps are lost, and the run resumes.
 */
class KillRecoveryTest {

    private static final int EVERY = 3;

    @Test
    void aRunKilledWithSigkillResumesFromItsLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = TestRuns.synthetic(tmp.resolve("synthetic"));
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--preset", "tiny", "--data", data.toString(), "--run", run.toString(), "--batch", "2", "--threads", "1",
                "--iterations", "100000", "--set", "checkpointEvery=" + EVERY, "--set", "tileEvery=0",
                "--set", "perceptualCoef=0");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RunFolder f = new RunFolder(run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        try {
            // Wait for a checkpoint, then kill between two checkpoints (or wherever it happens to be).
            while (true) {
                if (!child.isAlive()) {
                    fail("the training process ended early (exit " + child.exitValue() + "):\n" + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("no checkpoint after 240 s:\n" + Files.readString(log));
                }
                Path latest = f.latest();
                if (latest != null && RunFolder.stepOf(latest) >= 2 * EVERY && rows(f) > RunFolder.stepOf(latest)) {
                    break;
                }
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        int done = rows(f);
        long latest = RunFolder.stepOf(f.latest());
        System.out.println("killed after " + done + " completed steps; latest checkpoint " + latest + "; left: "
                + Files.list(f.checkpointsDir()).map(p -> p.getFileName().toString()).toList());
        assertTrue(done - latest <= EVERY, "lost " + (done - latest) + " steps, at most " + EVERY + " allowed");
        for (Path c : f.checkpoints()) {
            assertEquals(RunFolder.stepOf(c), TrainingCheckpoint.read(c).step(), "every checkpoint folder reads: " + c);
        }
        int code = Main.run("resume", "--run", run.toString(), "--steps", "2");
        assertEquals(0, code, "resume after kill -9");
        List<StepMetrics> rows = MetricsLog.read(f.metricsFile());
        assertEquals(latest + 2, rows.size(), "rows past the checkpoint were dropped, two new ones added");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).step());
        }
        try (var left = Files.list(f.checkpointsDir())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written folders left");
        }
    }

    /** Complete rows of the run's metrics.csv (a line cut by the kill is not counted). */
    private static int rows(RunFolder f) throws IOException {
        if (!Files.isRegularFile(f.metricsFile())) {
            return 0;
        }
        String text = Files.readString(f.metricsFile(), StandardCharsets.UTF_8);
        int lines = (int) text.chars().filter(c -> c == '\n').count();
        return Math.max(0, lines - 1);
    }
}
