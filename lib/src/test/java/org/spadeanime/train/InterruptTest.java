package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook's Stop button interrupts the cell's thread (JDK 20+ has no Thread.stop): training must
 * end after the current iteration, with a checkpoint of it, and resume from there.
 */
class InterruptTest {

    @TempDir
    Path tmp;

    @Test
    void anInterruptEndsTrainAfterTheCurrentIterationWithACheckpointToResumeFrom() throws IOException {
        TrainOptions o = TestRuns.quick(TestRuns.synthetic(tmp.resolve("synthetic"))).with("checkpointEvery", 100);
        Path dir = tmp.resolve("run");
        List<Long> checkpoints = new ArrayList<>();
        try (TrainingRun run = TrainingRun.start(dir, o)) {
            run.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 3) {
                        Thread.currentThread().interrupt(); // what the kernel does when Stop is pressed
                    }
                }

                @Override
                public void onCheckpoint(long step, Path folder) {
                    checkpoints.add(step);
                }
            });
            assertEquals(3, run.train(10), "stopped after the iteration in which the interrupt came");
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was handled (the flag is cleared)");
        } finally {
            Thread.interrupted(); // never leak an interrupt into other tests
        }
        assertEquals(List.of(3L), checkpoints, "one checkpoint, of the last completed iteration");
        assertEquals("step-00000003", new RunFolder(dir).latest().getFileName().toString());
        try (TrainingRun resumed = TrainingRun.resume(dir)) {
            assertEquals(3, resumed.step());
            assertEquals(3, resumed.trainer().adamG().step());
            assertEquals(2, resumed.train(2));
            assertEquals(5, resumed.metrics().rows().size());
        }
    }
}
