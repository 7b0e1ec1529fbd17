package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.optim.Adam;

/** Checkpoints and resume: exact optimizer state, exact continuation, damaged checkpoints, stale rows. */
class ResumeTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void synth() throws IOException {
        data = TestRuns.synthetic(tmp.resolve("synthetic"));
    }

    @Test
    void resumeRestoresTheExactOptimizerStateAndContinuesAsIfUninterrupted() throws IOException {
        TrainOptions o = TestRuns.quick(data);
        Map<String, float[]> adamAt2;
        List<float[]> paramsAt2;
        Path run = tmp.resolve("interrupted");
        try (TrainingRun r = TrainingRun.start(run, o)) {
            assertEquals(2, r.train(2));
            adamAt2 = adamState(r.trainer());
            paramsAt2 = TrainerTest.values(r.trainer().generator());
            paramsAt2.addAll(TrainerTest.values(r.trainer().discriminator()));
            assertNotNull(r.trainer().ema(), "the quick recipe keeps a moving average of G");
            paramsAt2.addAll(TrainerTest.values(r.trainer().ema().generator()));
        }
        // A row the crashed run wrote after its checkpoint must go.
        Files.writeString(run.resolve("metrics.csv"), "3,1,1,1,1,1,1,,1,,,1,1,1,0\n", StandardOpenOption.APPEND);
        List<StepMetrics> resumed;
        List<float[]> resumedParams;
        try (TrainingRun r = TrainingRun.resume(run)) {
            assertEquals(2, r.step());
            assertEquals(2, r.trainer().adamG().step());
            assertEquals(4, r.trainer().adamD().step(), "n_dis = 2 D updates per iteration");
            Map<String, float[]> restored = adamState(r.trainer());
            assertEquals(adamAt2.keySet(), restored.keySet());
            for (String k : adamAt2.keySet()) {
                assertArrayEquals(adamAt2.get(k), restored.get(k), "Adam state " + k);
            }
            List<float[]> params = TrainerTest.values(r.trainer().generator());
            params.addAll(TrainerTest.values(r.trainer().discriminator()));
            params.addAll(TrainerTest.values(r.trainer().ema().generator()));
            assertEquals(paramsAt2.size(), params.size());
            for (int i = 0; i < params.size(); i++) {
                assertArrayEquals(paramsAt2.get(i), params.get(i), "parameter/buffer " + i + " after loading");
            }
            assertEquals(2, r.metrics().rows().size(), "the stale row 3 is dropped");
            r.train(2);
            resumed = r.metrics().rows();
            resumedParams = TrainerTest.values(r.trainer().generator());
            resumedParams.addAll(TrainerTest.values(r.trainer().ema().generator()));
        }
        assertEquals(4, MetricsLog.read(run.resolve("metrics.csv")).size());
        try (TrainingRun r = TrainingRun.start(tmp.resolve("straight"), o)) {
            r.train(4);
            List<StepMetrics> straight = r.metrics().rows();
            for (int i = 0; i < 4; i++) {
                assertEquals(straight.get(i).dTotal(), resumed.get(i).dTotal(), 0, "D total at step " + (i + 1));
                assertEquals(straight.get(i).gTotal(), resumed.get(i).gTotal(), 0, "G total at step " + (i + 1));
            }
            List<float[]> p = TrainerTest.values(r.trainer().generator());
            p.addAll(TrainerTest.values(r.trainer().ema().generator()));
            assertEquals(p.size(), resumedParams.size());
            for (int i = 0; i < p.size(); i++) {
                assertArrayEquals(p.get(i), resumedParams.get(i), "G (then G EMA) parameter/buffer " + i + " at step 4");
            }
        }
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedWithANote() throws IOException {
        Path run = tmp.resolve("damaged");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(4);
        }
        RunFolder f = new RunFolder(run);
        assertEquals(f.checkpoint(4), f.latest());
        Path g = f.checkpoint(4).resolve(TrainingCheckpoint.GENERATOR);
        byte[] bytes = Files.readAllBytes(g);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(g, bytes);
        IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.read(f.checkpoint(4)));
        assertTrue(e.getMessage().contains("generator.ckpt: damaged, replaced or edited"), e.getMessage());
        List<String> notes = new ArrayList<>();
        TrainingCheckpoint c = TrainingCheckpoint.newest(f, notes);
        assertEquals(2, c.step());
        assertTrue(notes.stream().anyMatch(n -> n.contains("skipping unreadable checkpoint")), notes.toString());
        List<String> messages = new ArrayList<>();
        try (TrainingRun r = TrainingRun.resume(run)) {
            r.addListener(new TrainingListener() {
                @Override
                public void onMessage(String message) {
                    messages.add(message);
                }
            });
            assertEquals(2, r.step());
            r.train(1);
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("instead of the checkpoint 'latest' names")), messages.toString());
    }

    @Test
    void startRefusesAFolderWithCheckpointsAndResumeNeedsOne() throws IOException {
        Path run = tmp.resolve("twice");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(2);
        }
        IOException e = assertThrows(IOException.class, () -> TrainingRun.start(run, TestRuns.quick(data)));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException none = assertThrows(IOException.class, () -> TrainingRun.resume(empty));
        assertTrue(none.getMessage().contains("no checkpoint"), none.getMessage());
        assertNotNull(new RunFolder(run).latest());
        assertTrue(Files.readString(new RunFolder(run).optionsFile(), StandardCharsets.UTF_8).contains("\"nDis\": 2"));
    }

    @Test
    void anInterruptEndsTheCallAfterTheIterationWithACheckpoint() throws IOException {
        Path run = tmp.resolve("interrupt");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data).with("checkpointEvery", 100))) {
            r.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 3) {
                        Thread.currentThread().interrupt(); // what a notebook's stop button does
                    }
                }
            });
            assertEquals(3, r.train(10));
        }
        assertEquals(new RunFolder(run).checkpoint(3), new RunFolder(run).latest());
    }

    /**
     * A stop that lands on a checkpoint step (the browser test's Stop once did): the periodic
     * checkpoint's later writes (the latest pointer, the metrics, the charts) must not fail on the
     * pending interrupt, and the run ends as after any other stop.
     */
    @Test
    void anInterruptJustBeforeAPeriodicCheckpointStillEndsWithThatCheckpoint() throws IOException {
        Path run = tmp.resolve("interrupt-at-checkpoint");
        List<String> seen = new ArrayList<>();
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data).with("checkpointEvery", 3).with("tileEvery", 3))) {
            r.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 3) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onMessage(String message) {
                    seen.add(message);
                }
            });
            assertEquals(3, r.train(10));
            assertTrue(!Thread.interrupted(), "train took the interrupt");
        }
        assertTrue(seen.contains("interrupted at step 3; writing a checkpoint"), seen.toString());
        RunFolder folder = new RunFolder(run);
        assertEquals(folder.checkpoint(3), folder.latest());
        assertTrue(Files.isRegularFile(folder.tile(3)), "the step's tile was written");
        try (TrainingRun r = TrainingRun.resume(run)) {
            assertEquals(3, r.step());
            assertEquals(3, r.metrics().rows().size());
        }
    }

    /**
     * Stops from another thread at random moments, as a kernel's Stop does (mostly inside an
     * iteration, sometimes inside a tile or checkpoint write): every one ends the call normally with a
     * checkpoint of the step reached and a CSV row per iteration.
     */
    @Test
    void interruptsAtRandomMomentsAlwaysEndWithACheckpointOfTheStepReached() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 6; trial++) {
            Path run = tmp.resolve("interrupt-random-" + trial);
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            long reached;
            try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data).with("iterations", 200)
                    .with("checkpointEvery", 1).with("tileEvery", 2))) {
                r.addListener(new TrainingListener() {
                    @Override
                    public void onMessage(String message) {
                        seen.add(message);
                    }
                });
                Thread trainer = Thread.currentThread();
                long delay = 300 + random.nextInt(700);
                Thread stopper = new Thread(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    trainer.interrupt();
                });
                stopper.start();
                try {
                    reached = r.train(200);
                } finally {
                    stopper.join();
                    Thread.interrupted();
                }
                assertTrue(reached < 200, "trial " + trial + ": the interrupt after " + delay + " ms stopped the run");
                assertEquals(reached, r.metrics().rows().size());
            }
            assertTrue(seen.contains("interrupted at step " + reached + "; writing a checkpoint"), seen.toString());
            RunFolder folder = new RunFolder(run);
            assertEquals(folder.checkpoint(reached), folder.latest(), "trial " + trial);
            assertEquals(reached + 1, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + a row per step");
        }
    }

    /** What a notebook kernel's stop check does in listener code: interrupt the thread and throw an Error. */
    private static final class StopInListener extends Error {
        StopInListener() {
            super("cell interrupted");
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStopThrownFromAListenerEndsTheRunWithACheckpointAndAnExactResume() throws IOException {
        Path run = tmp.resolve("stop-in-listener");
        List<String> seen = new ArrayList<>();
        Map<String, float[]> adamAtStop;
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data).with("checkpointEvery", 100))) {
            r.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 3) {
                        throw new StopInListener();
                    }
                }

                @Override
                public void onMessage(String message) {
                    seen.add(message);
                }

                @Override
                public void onFinish(long step) {
                    seen.add("finish " + step); // the notebook's last progress frame
                }
            });
            assertThrows(StopInListener.class, () -> r.train(10));
            assertTrue(!Thread.interrupted(), "the stop was consumed: the cell's finally can still write files");
            assertEquals(3, r.step());
            adamAtStop = adamState(r.trainer());
        }
        assertTrue(seen.contains("interrupted at step 3; writing a checkpoint"), seen.toString());
        assertEquals("finish 3", seen.get(seen.size() - 1));
        assertEquals(new RunFolder(run).checkpoint(3), new RunFolder(run).latest());
        try (TrainingRun r = TrainingRun.resume(run)) {
            assertEquals(3, r.step());
            Map<String, float[]> resumed = adamState(r.trainer());
            assertEquals(adamAtStop.keySet(), resumed.keySet());
            adamAtStop.forEach((k, v) -> assertArrayEquals(v, resumed.get(k), k));
        }
    }

    /**
     * A kernel's Stop that lands inside a notebook listener, after its stop check (the browser test's
     * Stop once came while the cell redrew its charts): the check then fires at the listener's next
     * entry, which is the run's "interrupted" message. The listener must still get that message.
     */
    @Test
    void aStopCheckThatFiresOnTheInterruptedMessageStillDeliversIt() throws IOException {
        Path run = tmp.resolve("stop-check-on-message");
        List<String> seen = new ArrayList<>();
        boolean[] stopPending = {false};
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data).with("checkpointEvery", 100))) {
            r.addListener(new TrainingListener() {
                /** What the kernel weaves into every method of notebook code: StopCheck.check(). */
                private void stopCheck() {
                    if (stopPending[0]) {
                        stopPending[0] = false;
                        throw new StopInListener();
                    }
                }

                @Override
                public void onStep(StepMetrics m) {
                    stopCheck();
                    if (m.step() == 3) { // the Stop: the kernel's flag and the thread's interrupt
                        stopPending[0] = true;
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onMessage(String message) {
                    stopCheck();
                    seen.add(message);
                }
            });
            assertThrows(StopInListener.class, () -> r.train(10));
            assertEquals(3, r.step());
        }
        assertTrue(seen.contains("interrupted at step 3; writing a checkpoint"), seen.toString());
        assertEquals(new RunFolder(run).checkpoint(3), new RunFolder(run).latest());
    }

    @Test
    void aStopBeforeTheFirstIterationStillLeavesARunToResume() throws IOException {
        Path run = tmp.resolve("stop-at-start");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.addListener(new TrainingListener() {
                @Override
                public void onStart(TrainingRun ignored, long from, long to) {
                    throw new StopInListener();
                }
            });
            assertThrows(StopInListener.class, () -> r.train(10));
        }
        try (TrainingRun r = TrainingRun.resume(run)) {
            assertEquals(0, r.step());
            assertEquals(2, r.train(2));
        }
    }

    /** Every m and v of both optimizers, by "G/name/m" etc. */
    private static Map<String, float[]> adamState(Trainer t) {
        Map<String, float[]> out = new LinkedHashMap<>();
        put(out, "G", t.adamG(), t.generator().getParameters());
        put(out, "D", t.adamD(), t.discriminator().getParameters());
        return out;
    }

    private static void put(Map<String, float[]> out, String net, Adam adam, ai.djl.nn.ParameterList params) {
        for (Pair<String, Parameter> p : params) {
            NDArray[] mv = adam.moments(p.getKey());
            if (mv != null) {
                out.put(net + "/" + p.getKey() + "/m", mv[0].toFloatArray());
                out.put(net + "/" + p.getKey() + "/v", mv[1].toFloatArray());
            }
        }
        out.put(net + "/lr", new float[] {(float) adam.learningRate()});
    }
}
