package org.spadeanime.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;

/** Colours, ranges, enlargement, marks and blending of heat maps, read back pixel by pixel. */
class HeatMapTest {

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void viridisFromMinToMax() {
        BufferedImage img = HeatMap.of(new float[] {-3f, 1f, 5f}, 3, 1).image();
        assertEquals(0x440154, rgb(img, 0, 0));
        assertEquals(0x21918c, rgb(img, 1, 0)); // the middle of the range
        assertEquals(0xfde725, rgb(img, 2, 0));
    }

    @Test
    void signedIsCentredOnZero() {
        HeatMap h = HeatMap.of(new float[] {-1f, 0f, 4f}, 3, 1).signed();
        assertEquals(-4f, h.low());
        assertEquals(4f, h.high());
        BufferedImage img = h.image();
        assertEquals(0xf7f6f6, rgb(img, 1, 0));
        assertEquals(0x67001f, rgb(img, 2, 0));
        assertEquals(HeatMap.diverging(3 / 8.0), rgb(img, 0, 0));
    }

    @Test
    void rangeClipsAndInterpolates() {
        BufferedImage img = HeatMap.of(new float[] {-10f, 0.0625f, 10f}, 3, 1).range(0f, 1f).image();
        assertEquals(0x440154, rgb(img, 0, 0));
        // halfway between the first two anchors 0x440154 and 0x472d7b
        assertEquals((0x46 << 16) | (0x17 << 8) | 0x68, rgb(img, 1, 0));
        assertEquals(0xfde725, rgb(img, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> HeatMap.of(new float[1], 1, 1).range(1f, 1f));
    }

    @Test
    void enlargesIntoCrispSquaresAndMarksACell() {
        HeatMap h = HeatMap.of(new float[] {0f, 1f, 2f, 3f, 4f, 5f}, 3, 2).size(30);
        BufferedImage img = h.image();
        assertEquals(30, img.getWidth());
        assertEquals(20, img.getHeight());
        for (int y = 10; y < 20; y++) {
            for (int x = 20; x < 30; x++) {
                assertEquals(0xfde725, rgb(img, x, y));
            }
        }
        BufferedImage marked = HeatMap.of(new float[] {0f, 1f, 2f, 3f, 4f, 5f}, 3, 2).size(30).mark(1, 0).image();
        assertEquals(0xFFFFFF, rgb(marked, 15 + 10, 5)); // on the white ring of radius 10 around the cell centre
        assertEquals(rgb(img, 15, 5), rgb(marked, 15, 5)); // the centre stays visible
        assertThrows(IndexOutOfBoundsException.class, () -> h.mark(3, 0));
    }

    @Test
    void blendsOverAGreyBase() {
        BufferedImage base = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                base.setRGB(x, y, 0x646464);
            }
        }
        BufferedImage out = HeatMap.of(new float[] {0f, 1f, 1f, 1f}, 2, 2).over(base, 0.5);
        assertEquals(4, out.getWidth());
        // (0x44 + 100) / 2, (0x01 + 100) / 2, (0x54 + 100) / 2, rounded
        assertEquals((84 << 16) | (51 << 8) | 92, rgb(out, 1, 1));
        assertEquals((177 << 16) | (166 << 8) | 69, rgb(out, 3, 0)); // 0xfde725 and grey 100, halfway
    }

    @Test
    void masksArrayShapesAndChannels() {
        BufferedImage mask = HeatMap.of(new boolean[] {true, false}, 2, 1).image();
        assertEquals(0xfde725, rgb(mask, 0, 0));
        assertEquals(0x440154, rgb(mask, 1, 0));
        DjlRuntime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray field = m.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, new Shape(1, 1, 2, 3));
            BufferedImage img = HeatMap.of(field).image();
            assertEquals(3, img.getWidth());
            assertEquals(2, img.getHeight());
            assertThrows(IllegalArgumentException.class, () -> HeatMap.of(m.zeros(new Shape(2, 2, 3))));
            // each channel on its own range: both come out dark → yellow
            NDArray chw = m.create(new float[] {0f, 1f, -100f, 100f}, new Shape(2, 1, 2));
            List<BufferedImage> channels = HeatMap.channels(chw, 4);
            assertEquals(2, channels.size());
            for (BufferedImage c : channels) {
                assertEquals(4, c.getWidth());
                assertEquals(0x440154, rgb(c, 0, 0));
                assertEquals(0xfde725, rgb(c, 3, 0));
            }
        }
    }
}
