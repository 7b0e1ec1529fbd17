package org.spadeanime.data;

import org.spadeanime.label.LabelMap;

/**
 * Derives the hair-colour condition of an illustration that comes without a colour map: the
 * per-channel median of its hair pixels. Pixels on the border of the hair mask are left out (they
 * hold the outline and anti-aliased edges) unless too few remain, and the median ignores the
 * minority of shadow and highlight pixels that would pull a mean, so it lands on the base tone.
 */
public final class HairColour {

    /** Fewer interior hair pixels than this: use the border pixels too. */
    static final int MIN_INTERIOR = 16;

    private HairColour() {}

    /**
     * The per-channel median (0xRRGGBB) of the {@code rgb} pixels where {@code label} has
     * {@code hairChannel}, or -1 if the label has no hair pixel.
     */
    public static int median(int[] rgb, LabelMap label, int hairChannel) {
        int w = label.width();
        int h = label.height();
        if (rgb.length != w * h) {
            throw new IllegalArgumentException("image has " + rgb.length + " pixels, label " + w * h);
        }
        int code = hairChannel + 1;
        int[][] all = new int[3][256];
        int[][] interior = new int[3][256];
        int nAll = 0;
        int nInterior = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (label.code(i) != code) {
                    continue;
                }
                add(all, rgb[i]);
                nAll++;
                if (x > 0 && y > 0 && x < w - 1 && y < h - 1 && label.code(i - 1) == code && label.code(i + 1) == code
                        && label.code(i - w) == code && label.code(i + w) == code) {
                    add(interior, rgb[i]);
                    nInterior++;
                }
            }
        }
        if (nAll == 0) {
            return -1;
        }
        return nInterior >= MIN_INTERIOR ? median(interior, nInterior) : median(all, nAll);
    }

    private static void add(int[][] hist, int p) {
        hist[0][(p >> 16) & 0xFF]++;
        hist[1][(p >> 8) & 0xFF]++;
        hist[2][p & 0xFF]++;
    }

    private static int median(int[][] hist, int n) {
        int out = 0;
        for (int c = 0; c < 3; c++) {
            int cum = 0;
            int v = 0;
            while (cum + hist[c][v] < (n + 1) / 2) {
                cum += hist[c][v];
                v++;
            }
            out = (out << 8) | v;
        }
        return out;
    }
}
