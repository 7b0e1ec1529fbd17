package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Steps/s, ETA and % of a resumed call, the same in the CLI's progress line and the notebook's monitor. */
class PaceTest {

    @Test
    void aResumedCallCountsThePercentOfTheRunsSteps() {
        Pace p = new Pace(100, 200, 150, 10);
        assertEquals(75, p.percent(), "150 of the run's 200 steps, not 50 of this call's 100");
        assertEquals(5, p.stepsPerSecond(), 1e-12);
        assertEquals(10, p.etaSeconds());
        assertEquals(-1, new Pace(100, 200, 100, 0).etaSeconds(), "unknown before the call's first step");
        assertEquals("1:01:05", Pace.clock(3665));

        StringWriter text = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(text), 1, false);
        line.start(100, 200);
        line.onStep(TrainingMonitorTest.metrics(150));
        assertTrue(text.toString().startsWith("step 150/200 (75%)"), text.toString());

        AtomicLong clock = new AtomicLong(0);
        TrainingMonitor monitor = new TrainingMonitor(TrainOptions.tiny(), List.of(), 100, 1, clock::get, 1.0);
        monitor.onStart(null, 100, 200);
        clock.addAndGet(10_000_000_000L);
        monitor.onStep(TrainingMonitorTest.metrics(150));
        assertEquals("step 150 / 200 (75 %) · 5.00 steps/s · ETA 0:00:10", monitor.progressText());
    }
}
