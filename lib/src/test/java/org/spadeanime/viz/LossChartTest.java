package org.spadeanime.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.Png;

/** Loss chart data handling and a real rendered PNG (headless). */
class LossChartTest {

    @Test
    void emaSmoothingAndBucketing() {
        LossChart c = new LossChart("t", 400, 300).smoothing(0.5);
        c.add("d", 0, 0).add("d", 1, 4).add("d", 2, 4).add("d", 3, Double.NaN);
        assertArrayEquals(new double[] {0, 2, 3}, c.drawnPoints("d")[1], 1e-12);
        assertArrayEquals(new double[] {0, 1, 2}, c.drawnPoints("d")[0], 1e-12);

        LossChart ramp = new LossChart("t", 400, 300).maxPoints(100);
        for (int i = 0; i < 1000; i++) {
            ramp.add("g", i, 2 * i);
        }
        double[][] pts = ramp.drawnPoints("g");
        assertEquals(100, pts[0].length);
        assertEquals(4.5, pts[0][0], 1e-9); // mean of steps 0..9
        assertEquals(9.0, pts[1][0], 1e-9);
        assertEquals(994.5, pts[0][99], 1e-9);
    }

    @Test
    void logScaleLeavesOutNonPositiveValues() {
        LossChart c = new LossChart("t", 400, 300).logScale(true);
        c.addAll(0, Map.of("g_adv", -0.5, "d_real", 0.8));
        c.addAll(1, Map.of("g_adv", 0.25, "d_real", 0.6));
        assertArrayEquals(new double[] {0.25}, c.drawnPoints("g_adv")[1]);
        assertEquals(400, c.render().getWidth());
    }

    @Test
    void rendersTermsInTheirColoursToAPngOfFixedSize(@TempDir Path dir) throws IOException {
        LossChart c = new LossChart("D and G losses", 640, 360).smoothing(0.9);
        for (int step = 0; step < 300; step++) {
            c.add("d_loss", step, 1.5 * Math.exp(-step / 100.0) + 0.2);
            c.add("g_loss", step, 0.5 + 0.3 * Math.sin(step / 20.0));
        }
        Path file = dir.resolve("charts/loss.png");
        c.save(file);
        BufferedImage img = Png.read(file);
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertTrue(count(img, LossChart.PALETTE.get(0)) > 100, "d_loss line drawn");
        assertTrue(count(img, LossChart.PALETTE.get(1)) > 100, "g_loss line drawn");
        assertTrue(count(img, Color.WHITE) > 640 * 360 / 3, "white background");
        assertEquals(640, new LossChart("empty", 640, 360).render().getWidth(), "an empty chart renders");
        assertThrows(IllegalArgumentException.class, () -> new LossChart("t", 10, 10));
    }

    @Test
    void theLegendCoversNoCurve() throws IOException {
        // both curves end high at the right, where a legend inside the plot (top right) would sit
        LossChart c = new LossChart("rising", 640, 360);
        for (int step = 0; step <= 300; step++) {
            c.add("d_loss", step, step / 300.0);
            c.add("g_loss", step, 0.98 * step / 300.0);
        }
        BufferedImage img = c.render();
        String preview = System.getProperty("spade.chartPreview");
        if (preview != null) {
            Png.write(img, Path.of(preview));
        }
        BufferedImage topRight = img.getSubimage(480, 0, 160, 140);
        assertTrue(count(topRight, LossChart.PALETTE.get(0)) > 60, "d_loss drawn unveiled in the top right");
        assertTrue(count(topRight, LossChart.PALETTE.get(1)) > 60, "g_loss drawn unveiled in the top right");
    }

    /** Pixels within a small distance of {@code colour} (anti-aliased lines blend at their edges). */
    private static int count(BufferedImage img, Color colour) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 0xff) - colour.getRed()) + Math.abs(((p >> 8) & 0xff) - colour.getGreen())
                        + Math.abs((p & 0xff) - colour.getBlue());
                n += d < 30 ? 1 : 0;
            }
        }
        return n;
    }
}
