package org.spadeanime.label;

import java.util.Locale;

/**
 * One semantic class of a label map: its name and the RGB colour (0xRRGGBB) that marks it in label
 * images.
 */
public record LabelClass(String name, int rgb) {

    public LabelClass {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a label class needs a name");
        }
        name = name.trim();
        rgb &= 0xFFFFFF;
    }

    public static LabelClass of(String name, int r, int g, int b) {
        for (int c : new int[] {r, g, b}) {
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException("class '" + name + "': colour channel " + c + " is outside 0..255");
            }
        }
        return new LabelClass(name, (r << 16) | (g << 8) | b);
    }

    public int red() {
        return (rgb >> 16) & 0xFF;
    }

    public int green() {
        return (rgb >> 8) & 0xFF;
    }

    public int blue() {
        return rgb & 0xFF;
    }

    /** The colour as {@code #RRGGBB}. */
    public String hex() {
        return String.format(Locale.ROOT, "#%06X", rgb);
    }

    /** True when every channel is 0 or 255, the colours the original's 0.4 threshold rule can tell apart. */
    public boolean isPure() {
        return isPureChannel(red()) && isPureChannel(green()) && isPureChannel(blue());
    }

    private static boolean isPureChannel(int c) {
        return c == 0 || c == 255;
    }

    @Override
    public String toString() {
        return name + " " + hex();
    }
}
