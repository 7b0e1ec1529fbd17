package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NaN and infinite losses: stop naming the term and step, keeping the last checkpoint; or skip. */
class NonFiniteLossTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void synth() throws IOException {
        data = TestRuns.synthetic(tmp.resolve("synthetic"));
    }

    @Test
    void anAbsurdLearningRateStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("diverging");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(2);
        }
        NonFiniteLossException e;
        try (TrainingRun r = TrainingRun.resume(run, o -> o.with("lrD", 1e30).with("lrG", 1e30))) {
            e = assertThrows(NonFiniteLossException.class, () -> r.train(20));
        }
        System.out.println(e.getMessage());
        assertTrue(e.step() >= 3, "after the checkpoint of step 2: " + e.step());
        assertTrue(e.getMessage().matches("(?s)loss term '(D|G) [a-z ]+' is (NaN|-?Infinity) at step \\d+.*"), e.getMessage());
        assertTrue(e.getMessage().contains(new RunFolder(run).checkpoint(2).toString()), e.getMessage());
        RunFolder f = new RunFolder(run);
        assertEquals(f.checkpoint(2), f.latest(), "nothing written after the blow-up");
        TrainingCheckpoint c = TrainingCheckpoint.read(f.latest());
        assertEquals(2, c.step());
        for (StepMetrics m : MetricsLog.read(f.metricsFile())) {
            assertTrue(Double.isFinite(m.dTotal()) && Double.isFinite(m.gTotal()), "metrics.csv holds only finite rows: " + m);
        }
        try (TrainingRun r = TrainingRun.resume(run)) {
            assertEquals(1, r.train(1), "the kept checkpoint resumes");
        }
    }

    @Test
    void aNaNBatchIsSkippedWithoutTouchingAnyState() throws IOException {
        TrainOptions skip = TestRuns.quick(data).with("nanPolicy", "skip");
        RandomFeed feed = new RandomFeed(skip.model(), 2, 9);
        try (Trainer t = new Trainer(skip)) {
            t.iteration(feed, null);
            List<float[]> before = TrainerTest.values(t.generator());
            before.addAll(TrainerTest.values(t.discriminator()));
            long adamD = t.adamD().step();
            try (NDManager m = t.manager().newSubManager()) {
                NDList b = feed.next(m);
                NDArray poisoned = b.get(2).mul(m.full(b.get(2).getShape(), Float.NaN));
                Trainer.DResult d = t.discriminatorStep(b.get(0), b.get(1), poisoned);
                assertTrue(d.skipped() && Double.isNaN(d.real()), d.toString());
                Trainer.GResult g = t.generatorStep(b.get(0), b.get(1), poisoned);
                assertTrue(g.skipped(), "the feature-matching term sees the NaN real images: " + g);
            }
            List<float[]> after = TrainerTest.values(t.generator());
            after.addAll(TrainerTest.values(t.discriminator()));
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "parameter or buffer " + i + " after skipped updates");
            }
            assertEquals(adamD, t.adamD().step());
            StepMetrics next = t.iteration(feed, null);
            assertEquals(0, next.skipped());
            assertTrue(Double.isFinite(next.dTotal()) && Double.isFinite(next.gTotal()), next.toString());
        }
        try (Trainer t = new Trainer(TestRuns.quick(data)); NDManager m = t.manager().newSubManager()) {
            NDList b = feed.next(m);
            NDArray poisoned = b.get(2).mul(m.full(b.get(2).getShape(), Float.NaN));
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> t.discriminatorStep(b.get(0), b.get(1), poisoned));
            assertEquals("D real", e.term());
            assertEquals(1, e.step());
            assertTrue(e.getMessage().startsWith("loss term 'D real' is NaN at step 1"), e.getMessage());
        }
    }
}
