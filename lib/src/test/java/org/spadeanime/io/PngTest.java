package org.spadeanime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG variants written by javax.imageio, read through Commons Imaging. */
class PngTest {

    @TempDir
    Path dir;

    @Test
    void readsPaletteIndexedPng() throws IOException {
        byte[] r = {(byte) 255, 0, 0, (byte) 255};
        byte[] g = {0, (byte) 255, 0, (byte) 255};
        byte[] b = {0, 0, (byte) 255, 0};
        BufferedImage idx = new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                idx.getRaster().setSample(x, y, 0, (x + 2 * y) % 4);
            }
        }
        Path f = dir.resolve("indexed.png");
        ImageIO.write(idx, "png", f.toFile());
        BufferedImage img = Png.read(f);
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        int[] lut = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(lut[(x + 2 * y) % 4], img.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void readsSixteenBitRgbAndGrey() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster wr = cm.createCompatibleWritableRaster(8, 3);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 3; y++) {
                wr.setSample(x, y, 0, 257 * 30 * x);   // 8-bit value 30·x
                wr.setSample(x, y, 1, 65535);
                wr.setSample(x, y, 2, 257 * 10 * y);
            }
        }
        Path rgb16 = dir.resolve("rgb16.png");
        ImageIO.write(new BufferedImage(cm, wr, false, null), "png", rgb16.toFile());
        BufferedImage img = Png.read(rgb16);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 3; y++) {
                assertEquals((30 * x << 16) | 0xFF00 | (10 * y), img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        BufferedImage grey = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 4; x++) {
            grey.getRaster().setSample(x, 0, 0, 257 * 60 * x);
            grey.getRaster().setSample(x, 1, 0, 65535);
        }
        Path g16 = dir.resolve("grey16.png");
        ImageIO.write(grey, "png", g16.toFile());
        BufferedImage gi = Png.read(g16);
        for (int x = 0; x < 4; x++) {
            int v = 60 * x;
            assertEquals((v << 16) | (v << 8) | v, gi.getRGB(x, 0) & 0xFFFFFF);
            assertEquals(0xFFFFFF, gi.getRGB(x, 1) & 0xFFFFFF);
        }
    }

    @Test
    void readsEightBitGreyWithoutLosingDarkTones() throws IOException {
        BufferedImage grey = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) {
            grey.getRaster().setSample(x, 0, 0, x);
        }
        Path f = dir.resolve("grey8.png");
        ImageIO.write(grey, "png", f.toFile());
        BufferedImage img = Png.read(f);
        for (int x = 0; x < 256; x++) {
            assertEquals((x << 16) | (x << 8) | x, img.getRGB(x, 0) & 0xFFFFFF, "grey level " + x);
        }
    }

    @Test
    void writesAtomicallyAndReadsBack() throws IOException {
        BufferedImage img = new BufferedImage(7, 4, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < 28; i++) {
            img.setRGB(i % 7, i / 7, 0xFF000000 | (i * 9_000_017 & 0xFFFFFF));
        }
        Path f = dir.resolve("sub/out.png");
        Png.write(img, f);
        BufferedImage back = Png.read(f);
        assertArrayEquals(Png.pixels(img, 0, 0, 7, 4), Png.pixels(back, 0, 0, 7, 4));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
        assertEquals(new java.awt.Dimension(7, 4), Png.size(f));
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                    "a data file, not an owner-only temporary file");
        }
    }

    @Test
    void brokenFilesNameTheFile() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, i * 7919);
        }
        Path good = dir.resolve("good.png");
        Png.write(img, good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = dir.resolve("garbage.png");
        Files.writeString(garbage, "this is not a PNG");
        for (Path f : new Path[] {truncated, garbage, dir.resolve("missing.png")}) {
            BadInputException e = assertThrows(BadInputException.class, () -> Png.read(f));
            assertEquals(f, e.file());
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("PNG"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> Png.size(garbage));
    }
}
