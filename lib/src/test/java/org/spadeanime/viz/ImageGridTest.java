package org.spadeanime.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cell placement, scaling, gaps and caption bands of image grids. */
class ImageGridTest {

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void rowsOfCellsWithGaps() {
        BufferedImage grid = ImageGrid.of(List.of(solid(4, 3, 0xFF0000), solid(4, 3, 0x00FF00), solid(2, 2, 0x0000FF)), 2);
        assertEquals(4 + 2 + 4, grid.getWidth());
        assertEquals(3 + 2 + 3, grid.getHeight());
        assertEquals(0xFF0000, grid.getRGB(3, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grid.getRGB(4, 0) & 0xFFFFFF); // the gap
        assertEquals(0x00FF00, grid.getRGB(6, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, grid.getRGB(1, 6) & 0xFFFFFF); // second row, top-left of its cell
        assertEquals(0xFFFFFF, grid.getRGB(2, 7) & 0xFFFFFF); // smaller image: the rest of the cell is blank
    }

    @Test
    void scaledWithCaptions() {
        BufferedImage grid = new ImageGrid(3).scale(2).gap(0)
                .add(solid(5, 5, 0x123456), "a").add(solid(5, 5, 0x654321)).image();
        assertEquals(2 * 10, grid.getWidth());
        assertEquals(Captions.HEIGHT + 10, grid.getHeight());
        assertEquals(Captions.BACKGROUND.getRGB() & 0xFFFFFF, grid.getRGB(19, 0) & 0xFFFFFF);
        assertEquals(0x123456, grid.getRGB(9, Captions.HEIGHT + 9) & 0xFFFFFF);
        assertEquals(0x654321, grid.getRGB(10, Captions.HEIGHT) & 0xFFFFFF);
    }

    @Test
    void addAllCaptionsEachImage() {
        ImageGrid g = new ImageGrid(4).addAll(List.of(solid(2, 2, 1), solid(2, 2, 2)), "ch ")
                .addAll(List.of(solid(2, 2, 3)), List.of("x"));
        assertEquals(3, g.size());
        assertEquals(Captions.HEIGHT + 2, g.image().getHeight());
        assertThrows(IllegalArgumentException.class, () -> g.addAll(List.of(solid(2, 2, 1)), List.of()));
    }

    @Test
    void badArgumentsAreClear() {
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(0));
        assertThrows(IllegalStateException.class, () -> new ImageGrid(2).image());
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2).add(null));
    }
}
