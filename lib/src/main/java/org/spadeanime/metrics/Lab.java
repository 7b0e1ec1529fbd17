package org.spadeanime.metrics;

/**
 * A CIE L*a*b* colour (D65 white, 2° observer), converted from sRGB as IEC 61966-2-1 defines it:
 * the sRGB transfer curve is undone, linear RGB goes to XYZ with the sRGB/D65 matrix, and XYZ is
 * normalised by the D65 white (0.95047, 1, 1.08883) before the CIE 1976 L*a*b* formulas.
 */
public record Lab(double l, double a, double b) {

    private static final double XN = 0.95047;
    private static final double YN = 1.0;
    private static final double ZN = 1.08883;
    private static final double DELTA = 6.0 / 29.0;

    /** From sRGB components in [0, 1]. */
    public static Lab fromSrgb(double red, double green, double blue) {
        double r = linear(red);
        double g = linear(green);
        double b = linear(blue);
        double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
        double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
        double fx = f(x / XN);
        double fy = f(y / YN);
        double fz = f(z / ZN);
        return new Lab(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    /** From a packed 8-bit 0xRRGGBB colour (alpha ignored). */
    public static Lab fromRgb(int rgb) {
        return fromSrgb(((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
    }

    private static double linear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > DELTA * DELTA * DELTA ? Math.cbrt(t) : t / (3 * DELTA * DELTA) + 4.0 / 29.0;
    }
}
