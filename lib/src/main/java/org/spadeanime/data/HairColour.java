package org.spadeanime.data;

import org.spadeanime.label.LabelMap;

/**
 * Derives the hair-colour condition of an illustration that comes without a colour map: the
 * per-channel median of its hair pixels. The median ignores the minority of outline, shadow and
 * highlight pixels that a mean would be pulled by, so it lands on the hair's base tone.
 */
public final class HairColour {

    private HairColour() {}

    /**
     * The per-channel median (0xRRGGBB) of the {@code rgb} pixels where {@code label} has
     * {@code hairChannel}, or -1 if the label has no hair pixel.
     */
    public static int median(int[] rgb, LabelMap label, int hairChannel) {
        if (rgb.length != label.width() * label.height()) {
            throw new IllegalArgumentException("image has " + rgb.length + " pixels, label " + label.width() * label.height());
        }
        int code = hairChannel + 1;
        int[][] hist = new int[3][256];
        int n = 0;
        for (int i = 0; i < rgb.length; i++) {
            if (label.code(i) == code) {
                int p = rgb[i];
                hist[0][(p >> 16) & 0xFF]++;
                hist[1][(p >> 8) & 0xFF]++;
                hist[2][p & 0xFF]++;
                n++;
            }
        }
        if (n == 0) {
            return -1;
        }
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
