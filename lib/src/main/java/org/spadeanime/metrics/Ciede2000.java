package org.spadeanime.metrics;

/**
 * The CIEDE2000 colour difference ΔE00 (CIE 142-2001) with kL = kC = kH = 1, implemented as in
 * Sharma, Wu and Dalal, "The CIEDE2000 color-difference formula: implementation notes,
 * supplementary test data, and mathematical observations", Color Res. Appl. 30(1), 2005 — including
 * their notes on hue angles when a chroma is zero and on the mean hue across the 0°/360° cut.
 * About 1 means "just noticeable"; hue and chroma differences count less for saturated colours.
 */
public final class Ciede2000 {

    private static final double POW25_7 = Math.pow(25, 7);

    private Ciede2000() {}

    /** ΔE00 between two Lab colours. */
    public static double deltaE(Lab x, Lab y) {
        double c1 = Math.hypot(x.a(), x.b());
        double c2 = Math.hypot(y.a(), y.b());
        double cBar7 = Math.pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + POW25_7)));
        double a1 = (1 + g) * x.a();
        double a2 = (1 + g) * y.a();
        double cp1 = Math.hypot(a1, x.b());
        double cp2 = Math.hypot(a2, y.b());
        double hp1 = hue(a1, x.b());
        double hp2 = hue(a2, y.b());

        double dL = y.l() - x.l();
        double dC = cp2 - cp1;
        double dh;
        if (cp1 * cp2 == 0) {
            dh = 0;
        } else if (Math.abs(hp2 - hp1) <= 180) {
            dh = hp2 - hp1;
        } else {
            dh = hp2 - hp1 > 180 ? hp2 - hp1 - 360 : hp2 - hp1 + 360;
        }
        double dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin(Math.toRadians(dh / 2));

        double lBar = (x.l() + y.l()) / 2;
        double cpBar = (cp1 + cp2) / 2;
        double hBar;
        if (cp1 * cp2 == 0) {
            hBar = hp1 + hp2;
        } else if (Math.abs(hp1 - hp2) <= 180) {
            hBar = (hp1 + hp2) / 2;
        } else {
            hBar = hp1 + hp2 < 360 ? (hp1 + hp2 + 360) / 2 : (hp1 + hp2 - 360) / 2;
        }
        double t = 1 - 0.17 * cosd(hBar - 30) + 0.24 * cosd(2 * hBar) + 0.32 * cosd(3 * hBar + 6)
                - 0.20 * cosd(4 * hBar - 63);
        double dTheta = 30 * Math.exp(-Math.pow((hBar - 275) / 25, 2));
        double cpBar7 = Math.pow(cpBar, 7);
        double rc = 2 * Math.sqrt(cpBar7 / (cpBar7 + POW25_7));
        double l50 = (lBar - 50) * (lBar - 50);
        double sl = 1 + 0.015 * l50 / Math.sqrt(20 + l50);
        double sc = 1 + 0.045 * cpBar;
        double sh = 1 + 0.015 * cpBar * t;
        double rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
        double tl = dL / sl;
        double tc = dC / sc;
        double th = dH / sh;
        return Math.sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
    }

    /** ΔE00 between two packed 0xRRGGBB sRGB colours. */
    public static double deltaE(int rgb1, int rgb2) {
        return deltaE(Lab.fromRgb(rgb1), Lab.fromRgb(rgb2));
    }

    /** Hue angle in degrees [0, 360); 0 when a = b = 0 (Sharma et al.'s convention). */
    private static double hue(double a, double b) {
        if (a == 0 && b == 0) {
            return 0;
        }
        double h = Math.toDegrees(Math.atan2(b, a));
        return h < 0 ? h + 360 : h;
    }

    private static double cosd(double degrees) {
        return Math.cos(Math.toRadians(degrees));
    }
}
