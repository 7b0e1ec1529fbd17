package org.spadeanime.io;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.common.RgbBufferedImageFactory;
import org.apache.commons.imaging.formats.png.PngImageParser;
import org.apache.commons.imaging.formats.png.PngImagingParameters;

/**
 * PNG input and output through Apache Commons Imaging. Reading accepts any PNG the parser knows
 * (RGB, RGBA, grey, palette/indexed, 16-bit) and returns 8-bit sRGB pixels; writing is atomic.
 */
public final class Png {

    /**
     * The largest image decoded by default, in pixels: 64 Mpx (256 MB as 8-bit RGB), far above any
     * training image, far below what a small file can claim (a 2.6 MB PNG of 30000² took 6 GB and
     * 82 s before failing with OutOfMemoryError). Raise it with {@value #MAX_PIXELS_PROPERTY}.
     */
    public static final long DEFAULT_MAX_PIXELS = 64L << 20;
    /** System property (or environment variable SPADE_PNG_MAX_PIXELS) that sets the limit. */
    public static final String MAX_PIXELS_PROPERTY = "spade.png.maxPixels";

    private Png() {}

    /** The pixel limit: {@value #MAX_PIXELS_PROPERTY} or SPADE_PNG_MAX_PIXELS, else {@link #DEFAULT_MAX_PIXELS}. */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY, System.getenv("SPADE_PNG_MAX_PIXELS"));
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(MAX_PIXELS_PROPERTY + "=" + v + ": expected a positive number of pixels");
    }

    /** Refuses an image whose header claims more than {@link #maxPixels()} (in long arithmetic: no overflow). */
    private static void checkPixels(Path file, Dimension d) throws BadInputException {
        long pixels = (long) d.width * d.height;
        long max = maxPixels();
        if (d.width <= 0 || d.height <= 0 || pixels > max) {
            throw new BadInputException(file, String.format(java.util.Locale.ROOT, "its header claims %d×%d pixels "
                    + "(%.1f Mpx), more than the %.1f Mpx limit for decoding; not decoded (raise the limit with -D%s=N "
                    + "or SPADE_PNG_MAX_PIXELS if the image is real)", d.width, d.height, pixels / 1048576.0,
                    max / 1048576.0, MAX_PIXELS_PROPERTY));
        }
    }

    /**
     * Reads a PNG (RGB, RGBA, grey, palette/indexed, 8 or 16 bits per sample) into a
     * {@link BufferedImage#TYPE_INT_RGB} image: alpha is dropped, 16-bit samples are reduced to 8 bits.
     * A missing, unreadable or truncated file is a {@link BadInputException} naming it.
     */
    public static BufferedImage read(Path file) throws IOException {
        size(file); // header first: the pixel limit before any decoding
        BufferedImage img;
        try {
            // RGB target images for every colour type: Commons Imaging's default puts grey PNGs into a
            // linear-grey BufferedImage, which rounds dark tones away (grey 1..6 → 0).
            img = new PngImageParser().getBufferedImage(ByteSource.file(file.toFile()),
                    new PngImagingParameters().setBufferedImageFactory(new RgbBufferedImageFactory()));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file, "not a readable PNG image, or truncated (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new BadInputException(file, "not a readable PNG image");
        }
        return toRgb(img);
    }

    /**
     * The width and height of a PNG from its header, without decoding the pixels (fast: for checking a
     * whole data set when it is opened). An unreadable file, or one larger than {@link #maxPixels()},
     * is a {@link BadInputException}.
     */
    public static Dimension size(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file, "no such file (expected a PNG image)");
        }
        Dimension d;
        try {
            d = Imaging.getImageSize(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file, "not a readable PNG image (" + e.getMessage() + ")", e);
        }
        checkPixels(file, d);
        return d;
    }

    /**
     * Decodes PNG bytes (an upload) like {@link #read}: the pixel limit is checked on the header first;
     * {@code name} names the bytes in error messages.
     */
    public static BufferedImage decode(byte[] bytes, Path name) throws IOException {
        Dimension d;
        BufferedImage img;
        try {
            d = Imaging.getImageSize(bytes);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(name, "not a readable PNG image (" + e.getMessage() + ")", e);
        }
        checkPixels(name, d);
        try {
            img = new PngImageParser().getBufferedImage(ByteSource.array(bytes, name.toString()),
                    new PngImagingParameters().setBufferedImageFactory(new RgbBufferedImageFactory()));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(name, "not a readable PNG image, or truncated (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new BadInputException(name, "not a readable PNG image");
        }
        return toRgb(img);
    }

    /** An image as PNG bytes. */
    public static byte[] encode(BufferedImage image) throws IOException {
        return Imaging.writeImageToBytes(image, ImageFormats.PNG);
    }

    /** The pixels of an image region as 0xRRGGBB ints, row-major. */
    public static int[] pixels(BufferedImage img, int x, int y, int w, int h) {
        int[] px = img.getRGB(x, y, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return px;
    }

    /** Writes an image as PNG, atomically (temp file + rename). */
    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, encode(image));
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
