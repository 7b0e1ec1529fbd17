package org.spadeanime.label;

import java.util.Arrays;

/**
 * A decoded label map: one class code per pixel, 0 for background (and for pixels that matched no
 * palette colour, the original's rule) and {@code k + 1} for one-hot channel {@code k}. One byte per
 * pixel, so a 256² map takes 64 KiB where its float one-hot takes 1 MiB.
 */
public final class LabelMap {

    /** The class code of the implicit background. */
    public static final int BACKGROUND = 0;

    private final byte[] codes;
    private final int width;
    private final int height;
    private final int channels;
    private final int unmatched;

    /**
     * Wraps class codes (row-major, {@code width·height}, each 0..channels); {@code unmatched} is the
     * number of pixels that matched no palette colour (coded as background).
     */
    public LabelMap(byte[] codes, int width, int height, int channels, int unmatched) {
        if (codes.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " codes for " + width + "×" + height
                    + ", got " + codes.length);
        }
        this.codes = codes;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.unmatched = unmatched;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of one-hot channels of the palette it was decoded with. */
    public int channels() {
        return channels;
    }

    /** The class code at a pixel: 0 background, {@code k + 1} for channel {@code k}. */
    public int code(int x, int y) {
        return codes[y * width + x] & 0xFF;
    }

    /** The class code of pixel {@code index} (row-major: y·width + x). */
    public int code(int index) {
        return codes[index] & 0xFF;
    }

    /** A copy of the class codes, row-major. */
    public byte[] codes() {
        return codes.clone();
    }

    /** Pixels that matched no palette colour (counted as background). */
    public int unmatched() {
        return unmatched;
    }

    /** {@link #unmatched()} as a fraction of all pixels: a large value means a wrong palette. */
    public double unmatchedFraction() {
        return unmatched / (double) codes.length;
    }

    /** Pixels that matched a palette colour (background included). */
    public int matched() {
        return codes.length - unmatched;
    }

    /** Number of pixels with this class code. */
    public int count(int code) {
        int n = 0;
        for (byte c : codes) {
            if ((c & 0xFF) == code) {
                n++;
            }
        }
        return n;
    }

    /** Whether one-hot channel {@code channel} is set at each pixel. */
    public boolean[] mask(int channel) {
        boolean[] m = new boolean[codes.length];
        for (int i = 0; i < codes.length; i++) {
            m[i] = (codes[i] & 0xFF) == channel + 1;
        }
        return m;
    }

    /** The one-hot encoding, (C, H, W) row-major. */
    public float[] oneHot() {
        float[] out = new float[channels * codes.length];
        oneHotInto(out, 0);
        return out;
    }

    /** Writes the (C, H, W) one-hot encoding into {@code dst} from {@code offset}; the range must be zero. */
    public void oneHotInto(float[] dst, int offset) {
        int plane = codes.length;
        for (int i = 0; i < plane; i++) {
            int c = codes[i] & 0xFF;
            if (c != BACKGROUND) {
                dst[offset + (c - 1) * plane + i] = 1f;
            }
        }
    }

    /** Nearest-neighbour resize (torch's 'nearest': source index = floor(dst · src / size)). */
    public LabelMap resized(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        byte[] out = new byte[w * h];
        int[] xs = nearestIndex(width, w);
        int[] ys = nearestIndex(height, h);
        for (int y = 0; y < h; y++) {
            int row = ys[y] * width;
            for (int x = 0; x < w; x++) {
                out[y * w + x] = codes[row + xs[x]];
            }
        }
        long scaledUnmatched = Math.round(unmatched * (double) (w * h) / codes.length);
        return new LabelMap(out, w, h, channels, (int) scaledUnmatched);
    }

    /** Source index of each destination index for a nearest-neighbour resize. */
    public static int[] nearestIndex(int src, int dst) {
        int[] idx = new int[dst];
        for (int i = 0; i < dst; i++) {
            idx[i] = Math.min(src - 1, (int) Math.floor(i * (double) src / dst));
        }
        return idx;
    }

    /** Left–right mirror image. */
    public LabelMap mirrored() {
        byte[] out = new byte[codes.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                out[row + x] = codes[row + width - 1 - x];
            }
        }
        return new LabelMap(out, width, height, channels, unmatched);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap m && m.width == width && m.height == height && m.channels == channels
                && Arrays.equals(m.codes, codes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes);
    }
}
