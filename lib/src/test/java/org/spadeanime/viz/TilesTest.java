package org.spadeanime.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.Png;

/** Pixel placement of the [label | real | generated] tile, read back from a real PNG. */
class TilesTest {

    private static final int W = 32;
    private static final int H = 20;

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, W, H);
        g.dispose();
        return img;
    }

    /** Row i: label 0x10i000-ish, real, generated: all distinct colours. */
    private static int colour(int row, int column) {
        return (40 + 60 * row) << 16 | (30 + 70 * column) << 8 | (200 - 50 * row);
    }

    private static List<Tiles.Row> rows(String... captions) {
        return List.of(0, 1, 2).stream().map(i -> new Tiles.Row(solid(colour(i, 0)), solid(colour(i, 1)),
                solid(colour(i, 2)), captions.length == 0 ? null : captions[i])).toList();
    }

    private static void assertCell(BufferedImage tile, int x0, int y0, int rgb) {
        for (int y = y0; y < y0 + H; y++) {
            for (int x = x0; x < x0 + W; x++) {
                assertEquals(rgb, tile.getRGB(x, y) & 0xffffff, "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void rowsOfLabelRealGeneratedAsTheReference(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiles/tile-50.png");
        Tiles.save(rows(), file);
        BufferedImage tile = Png.read(file);
        assertEquals(3 * W, tile.getWidth());
        assertEquals(3 * H, tile.getHeight());
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                assertCell(tile, col * W, row * H, colour(row, col));
            }
        }
    }

    @Test
    void captionsGoInABandAboveEachRow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tile.png");
        Tiles.save(rows("train", "valid 1", "valid 2"), file);
        BufferedImage tile = Png.read(file);
        int band = Tiles.CAPTION_HEIGHT;
        assertEquals(3 * (H + band), tile.getHeight());
        for (int row = 0; row < 3; row++) {
            int top = row * (H + band);
            for (int col = 0; col < 3; col++) {
                assertCell(tile, col * W, top + band, colour(row, col));
            }
            int text = 0;
            for (int y = top; y < top + band; y++) {
                for (int x = 0; x < 3 * W; x++) {
                    int v = tile.getRGB(x, y) & 0xff;
                    text += v < 0x90 ? 1 : 0; // dark text pixels on the light band
                }
            }
            assertTrue(text > 10, "caption text drawn in row " + row + " (" + text + " dark pixels)");
            assertEquals(Tiles.CAPTION_BACKGROUND.getRGB() & 0xffffff, tile.getRGB(3 * W - 1, top) & 0xffffff,
                    "band background at the right end of row " + row);
        }
    }

    @Test
    void imagesOfDifferentSizesAreRejected() {
        BufferedImage small = new BufferedImage(W / 2, H, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tiles.compose(List.of(new Tiles.Row(solid(0), solid(0), solid(0)), new Tiles.Row(solid(0), small, solid(0)))));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("16x20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tiles.compose(List.of()));
    }
}
