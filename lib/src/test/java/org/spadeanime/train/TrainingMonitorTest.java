package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.spadeanime.viz.Tiles;

/** {@link TrainingMonitor} on a fake clock: history, rate and ETA, redraw pacing, charts and tiles. */
class TrainingMonitorTest {

    private static final long SECOND = 1_000_000_000L;

    static StepMetrics metrics(long step) {
        // L1 and perceptual switched off (NaN), as by default without VGG weights.
        return new StepMetrics(step, 0.5, 0.6, 0.1 * step, 1.2, -0.3, 2.0, Double.NaN, Double.NaN, 1.7, Double.NaN, Double.NaN,
                2e-4, 2e-4, 0.25, 0);
    }

    @Test
    void ratesEtaAndRedrawsFollowTheClock() {
        AtomicLong clock = new AtomicLong(0);
        TrainOptions o = TrainOptions.tiny().with("tileEvery", 5);
        TrainingMonitor monitor = new TrainingMonitor(o, List.of(metrics(9), metrics(10)), 10, 2, clock::get, 1.0);
        assertEquals(List.of("D real", "D fake", "D penalty", "D total"), monitor.dChart().seriesNames());
        assertEquals(List.of("G adversarial", "G feature matching", "G total"), monitor.gChart().seriesNames(),
                "a switched-off term draws no line");
        assertEquals(2, monitor.dChart().drawnPoints("D total")[0].length, "the history before the resume");

        monitor.onStart(null, 10, 20);
        assertTrue(Double.isNaN(monitor.stepsPerSecond()));
        assertEquals(-1, monitor.etaSeconds());
        assertTrue(monitor.progressText().contains("step 10 / 20 (50 %) · – steps/s · ETA –"), monitor.progressText());
        assertTrue(monitor.redrawDue(), "the first step of a call is drawn");
        for (long s = 11; s <= 14; s++) {
            clock.addAndGet(2 * SECOND);
            monitor.onStep(metrics(s));
        }
        assertEquals(0.5, monitor.stepsPerSecond(), 1e-12);
        assertEquals(12, monitor.etaSeconds(), "6 steps left at 0.5 steps/s");
        // a resumed run counts like the CLI's progress line: 14 of the run's 20 steps, bar and text alike
        assertEquals("step 14 / 20 (70 %) · 0.50 steps/s · ETA 0:00:12", monitor.progressText());
        assertTrue(monitor.progressHtml().contains("<progress value=\"14\" max=\"20\""), monitor.progressHtml());
        assertEquals(6, monitor.dChart().drawnPoints("D total")[0].length);

        assertTrue(monitor.redrawDue(), "8 s after the last redraw");
        clock.addAndGet(SECOND / 2);
        assertFalse(monitor.redrawDue(), "half a second later");
        clock.addAndGet(SECOND / 2);
        assertTrue(monitor.redrawDue(), "a second later");
        monitor.onStep(metrics(20));
        assertTrue(monitor.redrawDue(), "the last step is always drawn");
        assertEquals(0, monitor.etaSeconds());
    }

    @Test
    void chartsSideBySideAndTheNewestTileEnlarged() {
        TrainOptions o = TrainOptions.tiny();
        TrainingMonitor monitor = new TrainingMonitor(o, List.of(), 0, 2, System::nanoTime, 1.0);
        BufferedImage charts = monitor.charts();
        assertTrue(charts.getWidth() >= 2 * TrainingMonitor.CHART_WIDTH && charts.getHeight() >= TrainingMonitor.CHART_HEIGHT);
        BufferedImage placeholder = monitor.tile();
        assertEquals(2 * 3 * 64, placeholder.getWidth());
        assertEquals(2 * 3 * 64 + Tiles.CAPTION_HEIGHT, placeholder.getHeight());
        BufferedImage tile = new BufferedImage(192, 192, BufferedImage.TYPE_INT_RGB);
        tile.setRGB(0, 0, 0xFF0000);
        monitor.onTile(50, tile, Path.of("tile.png"));
        BufferedImage shown = monitor.tile();
        assertEquals(384, shown.getWidth());
        assertEquals(0xFF0000, shown.getRGB(1, Tiles.CAPTION_HEIGHT + 1) & 0xFFFFFF, "the tile, 2× enlarged, below its caption");
        assertThrows(IllegalArgumentException.class, () -> new TrainingMonitor(o, List.of(), 0, 0, System::nanoTime, 1.0));
    }
}
