package org.spadeanime.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;

/**
 * PNG input and output through Apache Commons Imaging. Reading accepts any PNG the parser knows
 * (RGB, RGBA, grey, palette/indexed, 16-bit) and returns 8-bit sRGB pixels; writing is atomic.
 */
public final class Png {

    private Png() {}

    /**
     * Reads a PNG into a {@link BufferedImage#TYPE_INT_RGB} image (alpha dropped, 16-bit samples
     * reduced to 8 bits). A missing, unreadable or truncated file is an {@link IOException} naming it.
     */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (expected a PNG image)");
        }
        BufferedImage img;
        try {
            img = Imaging.getBufferedImage(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable PNG image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": not a readable PNG image");
        }
        return toRgb(img);
    }

    /** Writes an image as PNG, atomically (temp file + rename). */
    public static void write(BufferedImage image, Path file) throws IOException {
        byte[] bytes = Imaging.writeImageToBytes(image, ImageFormats.PNG);
        AtomicFiles.write(file, bytes);
    }

    /** The same pixels as an 8-bit RGB image ({@code TYPE_INT_RGB}); returns {@code img} if it already is one. */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }
}
