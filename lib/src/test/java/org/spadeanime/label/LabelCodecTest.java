package org.spadeanime.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;

class LabelCodecTest {

    /** One column per palette colour (background last), repeated over the rows. */
    private static BufferedImage stripes(LabelPalette p, int rows) {
        List<LabelClass> all = p.all();
        BufferedImage img = new BufferedImage(all.size(), rows, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < all.size(); x++) {
                img.setRGB(x, y, all.get(x).rgb());
            }
        }
        return img;
    }

    private static void assertRoundTrip(LabelPalette p) {
        LabelCodec codec = p.codec();
        BufferedImage img = stripes(p, 3);
        LabelMap map = codec.decode(img);
        assertEquals(0, map.unmatched());
        int c = p.channels();
        float[] oneHot = map.oneHot();
        int plane = img.getWidth() * img.getHeight();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x <= c; x++) {
                for (int k = 0; k < c; k++) {
                    assertEquals(k == x ? 1f : 0f, oneHot[k * plane + y * img.getWidth() + x], "class " + x + " channel " + k);
                }
            }
        }
        // back to colours, through the Java map and through a (C, H, W) tensor and an (H, W) code tensor
        assertArrayEquals(pixels(img), pixels(codec.toImage(map)));
        DjlRuntime.init();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertTensorsRoundTrip(p, codec, img, oneHot, manager);
        }
    }

    private static void assertTensorsRoundTrip(LabelPalette p, LabelCodec codec, BufferedImage img, float[] oneHot,
                                               NDManager manager) {
        int c = p.channels();
        NDArray t = codec.oneHot(img, manager);
        assertEquals(new Shape(c, 3, c + 1), t.getShape());
        assertArrayEquals(oneHot, t.toFloatArray());
        assertArrayEquals(pixels(img), pixels(codec.toImage(t)));
        NDArray codes = manager.create(new int[] {0, 1, c}, new Shape(1, 3));
        int[] back = pixels(codec.toImage(codes));
        assertArrayEquals(new int[] {p.background().rgb(), p.classes().get(0).rgb(), p.classes().get(c - 1).rgb()}, back);
    }

    private static int[] pixels(BufferedImage img) {
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return px;
    }

    @Test
    void everyAnimeColourRoundTrips() {
        assertRoundTrip(LabelPalette.anime());
    }

    @Test
    void customPaletteRoundTrips() {
        List<LabelClass> cls = new ArrayList<>();
        String[] names = {"skin", "eye", "hair", "mouth", "cloth", "hat"};
        int[] rgb = {0xF0C8A0, 0x3050C0, 0x602040, 0xC03030, 0x40A040, 0xA0A0E0};
        for (int i = 0; i < names.length; i++) {
            cls.add(new LabelClass(names[i], rgb[i]));
        }
        LabelPalette p = LabelPalette.of(cls, new LabelClass("background", 0xFFFFFF));
        assertRoundTrip(p);
        // the nearest rule: within the tolerance → that class, beyond → unmatched (background)
        LabelCodec codec = p.codec();
        assertEquals(1, codec.code(0xF0C8A0 + 0x0A0A0A - 0x140000));
        assertEquals(LabelCodec.UNMATCHED, codec.code(0x000000));
    }

    @Test
    void thresholdRuleIsTheOriginals() {
        LabelCodec codec = LabelPalette.anime().codec();
        // each channel > 0.4 (≥ 103 of 255) counts as "on"
        assertEquals(1, codec.code(0xC81E5A));     // (200, 30, 90) → (1,0,0) eye
        assertEquals(1, codec.code(0x676666));     // (103, 102, 102) → eye
        assertEquals(LabelCodec.UNMATCHED, codec.code(0x666666)); // (102,102,102) → black: no class
        assertEquals(3, codec.code(0x2020F0));     // hair
        assertEquals(4, codec.code(0xF010F0));     // other
        assertEquals(0, codec.code(0xF0F010));     // background
        assertEquals(LabelCodec.UNMATCHED, codec.code(0xFFFFFF));
        assertEquals(LabelCodec.UNMATCHED, codec.code(0x00FFFF));
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0xFFFFFF);
        img.setRGB(2, 0, 0x000000);
        img.setRGB(3, 0, 0x0000FF);
        LabelMap m = codec.decode(img);
        assertEquals(2, m.unmatched());
        assertEquals(0.5, m.unmatchedFraction(), 1e-12);
        assertEquals(0, m.code(1, 0));
        assertEquals(3, m.code(3, 0));
    }

    @Test
    void resizeAndMirror() {
        byte[] codes = {1, 2, 3, 4};
        LabelMap m = new LabelMap(codes, 2, 2, 4, 0);
        LabelMap up = m.resized(4, 4);
        assertEquals(1, up.code(1, 1));
        assertEquals(2, up.code(2, 0));
        assertEquals(4, up.code(3, 3));
        assertEquals(m, up.resized(2, 2));
        LabelMap mir = m.mirrored();
        assertEquals(2, mir.code(0, 0));
        assertEquals(3, mir.code(1, 1));
        assertEquals(m, mir.mirrored());
    }
}
