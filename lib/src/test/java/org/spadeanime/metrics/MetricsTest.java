package org.spadeanime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.io.ImageTensors;

/** CIEDE2000 against Sharma et al.'s published pairs; sRGB→Lab; L1, PSNR and hair-colour ΔE. */
class MetricsTest {

    @BeforeAll
    static void init() {
        DjlRuntime.init();
    }

    @Test
    void ciede2000MatchesAllSharmaTestPairsToFourDecimals() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MetricsTest.class.getResourceAsStream("/fixtures/metrics/ciede2000_sharma2005.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    rows.add(java.util.Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
                }
            }
        }
        assertEquals(34, rows.size());
        double worst = 0;
        for (double[] p : rows) {
            Lab x = new Lab(p[1], p[2], p[3]);
            Lab y = new Lab(p[4], p[5], p[6]);
            double d = Ciede2000.deltaE(x, y);
            worst = Math.max(worst, Math.abs(d - p[7]));
            assertEquals(p[7], Math.round(d * 1e4) / 1e4, 1e-9, "pair " + (int) p[0] + ": " + d);
            assertEquals(d, Ciede2000.deltaE(y, x), 1e-12, "symmetric, pair " + (int) p[0]);
        }
        System.out.printf("CIEDE2000: 34 Sharma pairs equal to 4 decimals; max |unrounded - table| %.1e%n", worst);
    }

    @Test
    void srgbToLabUsesD65() {
        assertLab(Lab.fromRgb(0xffffff), 100, 0, 0);
        assertLab(Lab.fromRgb(0x000000), 0, 0, 0);
        // Reference values (sRGB, D65; e.g. Lindbloom's calculator)
        assertLab(Lab.fromRgb(0xff0000), 53.2408, 80.0925, 67.2032);
        assertLab(Lab.fromRgb(0x00ff00), 87.7347, -86.1827, 83.1793);
        assertLab(Lab.fromRgb(0x0000ff), 32.2970, 79.1875, -107.8602);
        assertLab(Lab.fromRgb(0x808080), 53.5850, 0, 0);
    }

    private static void assertLab(Lab lab, double l, double a, double b) {
        assertEquals(l, lab.l(), 2e-3, "L of " + lab);
        assertEquals(a, lab.a(), 2e-3, "a of " + lab);
        assertEquals(b, lab.b(), 2e-3, "b of " + lab);
    }

    /** The ring: background pixels within the width of the region in x and y, never the region or other labels. */
    @Test
    void backgroundRingAroundARegion() {
        // 5×4: hair (channel 2, code 3) at (1, 1); face (channel 0, code 1) at (2, 2); the rest background (code 0)
        byte[] codes = new byte[20];
        codes[1 * 5 + 1] = 3;
        codes[2 * 5 + 2] = 1;
        org.spadeanime.label.LabelMap label = new org.spadeanime.label.LabelMap(codes, 5, 4, 4, 0);
        boolean[] ring = ImageMetrics.backgroundRing(label, label.mask(2), 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            s.append(ring[i] ? '#' : '.').append(i % 5 == 4 ? "|" : "");
        }
        assertEquals("###..|#.#..|##...|.....|", s.toString());
    }

    /** The 2×2 filter answers to a one-pixel checkerboard and to nothing flat, ramped or axis-aligned. */
    @Test
    void checkerboardEnergyOnHandMadeImages() {
        int h = 4;
        int w = 5;
        float[] checker = new float[3 * h * w];
        float[] ramp = new float[3 * h * w];
        float[] edge = new float[3 * h * w];
        float[] diagonal = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = c * h * w + y * w + x;
                    checker[i] = (x + y) % 2 == 0 ? 0.25f : 0.75f;
                    ramp[i] = 0.1f * x + 0.05f * y;
                    edge[i] = x < 2 ? 0f : 1f;
                    diagonal[i] = x > y ? 1f : 0f;
                }
            }
        }
        assertEquals(1.0, ImageMetrics.checkerboard(checker, h, w), 1e-6, "|0.25 − 0.75 − 0.75 + 0.25| everywhere");
        assertEquals(0.0, ImageMetrics.checkerboard(ramp, h, w), 1e-6);
        assertEquals(0.0, ImageMetrics.checkerboard(edge, h, w), 1e-6);
        // the staircase x > y: a 2×2 window answers (with 1) where it straddles the step, x = y or x = y + 1:
        // 6 of the 12 windows
        assertEquals(0.5, ImageMetrics.checkerboard(diagonal, h, w), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.checkerboard(new float[5], h, w));

        // the ratio: the same filter over the first differences of the same windows
        assertEquals(1.0, ImageMetrics.checkerboardRatio(checker, h, w), 1e-6, "|a − b − c + d| = |a − b| + |a − c|");
        assertEquals(0.0, ImageMetrics.checkerboardRatio(ramp, h, w), 1e-6);
        assertEquals(0.0, ImageMetrics.checkerboardRatio(edge, h, w), 1e-6);
        assertEquals(0.0, ImageMetrics.checkerboardRatio(new float[3 * h * w], h, w), 0, "a flat image");
        // the staircase: the 6 windows on the step answer 1 each and have one unit difference each
        assertEquals(1.0, ImageMetrics.checkerboardRatio(diagonal, h, w), 1e-6);
        int n = 64;
        java.util.Random rnd = new java.util.Random(5);
        float[] noise = new float[3 * n * n];
        float[] strongerNoise = new float[3 * n * n];
        for (int i = 0; i < noise.length; i++) {
            float g = (float) rnd.nextGaussian();
            noise[i] = 0.5f + 0.05f * g;
            strongerNoise[i] = 0.5f + 0.2f * g;
        }
        // white noise: E|sum of 4| / (E|a − b| + E|a − c|) = 2σ / (2·√2σ) = 0.707, whatever its strength
        assertEquals(Math.sqrt(0.5), ImageMetrics.checkerboardRatio(noise, n, n), 0.01);
        assertEquals(ImageMetrics.checkerboardRatio(noise, n, n), ImageMetrics.checkerboardRatio(strongerNoise, n, n), 1e-4);
        assertEquals(4, ImageMetrics.checkerboard(strongerNoise, n, n) / ImageMetrics.checkerboard(noise, n, n), 1e-3,
                "the energy grows with the detail; the ratio does not");
    }

    @Test
    void l1AndPsnrOnHandComputedImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.zeros(new Shape(2, 3, 4, 4));
            NDArray b = m.full(new Shape(1, 3, 4, 4), 0.2f).concat(m.full(new Shape(1, 3, 4, 4), -0.02f));
            assertEquals((0.2 + 0.02) / 2, ImageMetrics.l1(zero, b), 1e-7);
            // [0, 1] differences 0.1 and 0.01 -> MSE 1e-2 and 1e-4 -> 20 dB and 40 dB; mean 30 dB
            assertEquals(30.0, ImageMetrics.psnr(zero, b), 1e-4);
            assertEquals(20.0, ImageMetrics.psnr(zero.get(0), b.get(0)), 1e-4);
            assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(b, b));
            assertThrows(IllegalArgumentException.class, () -> ImageMetrics.l1(zero, zero.get(0)));
        }
    }

    /**
     * A 4×4 image whose six hair pixels are four of the requested colour, a black outline and a
     * white highlight: the per-channel Lab median recovers the requested colour (a mean would not).
     */
    @Test
    void hairColourDeltaEIgnoresOutlinesAndHighlights() {
        int requested = 0x3060c0;
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        boolean[] mask = new boolean[16];
        int[] hair = {0, 1, 2, 3, 4, 5};
        int[] colours = {requested, requested, 0x000000, requested, 0xffffff, requested};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.setRGB(x, y, 0x20c040); // non-hair: green
            }
        }
        for (int i = 0; i < hair.length; i++) {
            img.setRGB(hair[i] % 4, hair[i] / 4, colours[i]);
            mask[hair[i]] = true;
        }
        // (1e-5: the image path reads 8-bit values as v / 255f, the request as v / 255.0)
        assertEquals(0, ImageMetrics.hairColorDeltaE(img, mask, requested), 1e-5);
        double other = ImageMetrics.hairColorDeltaE(img, mask, 0xc03030);
        assertEquals(Ciede2000.deltaE(requested, 0xc03030), other, 1e-5);
        assertTrue(other > 30, "a red request against blue hair: " + other);
        assertTrue(Double.isNaN(ImageMetrics.hairColorDeltaE(img, new boolean[16], requested)), "no hair pixels");

        try (NDManager m = NDManager.newBaseManager()) {
            NDArray generated = ImageTensors.toSigned(img, m);
            float[] onehot = new float[4 * 16];
            for (int i : hair) {
                onehot[ImageMetrics.HAIR_CHANNEL * 16 + i] = 1f;
            }
            NDArray label = m.create(onehot, new Shape(4, 4, 4));
            assertEquals(0, ImageMetrics.hairColorDeltaE(generated, label, requested), 1e-3);
            assertEquals(other, ImageMetrics.hairColorDeltaE(generated, label.get(ImageMetrics.HAIR_CHANNEL), 0xc03030), 1e-3);
            assertThrows(IllegalArgumentException.class,
                    () -> ImageMetrics.hairColorDeltaE(generated, m.zeros(new Shape(5, 4, 4)), requested));
        }
    }
}
