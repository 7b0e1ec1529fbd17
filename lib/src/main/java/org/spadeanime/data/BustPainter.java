package org.spadeanime.data;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.spadeanime.label.LabelClass;
import org.spadeanime.label.LabelPalette;

/**
 * Paints one procedural anime bust (illustration + label map) from a random source. Shapes are built
 * in "head units" (face width 1, origin between the eyes, y down) and mapped to pixels by the head
 * pose (position, scale, tilt); the body has its own, steadier transform. Drawing order is back to
 * front: background, back hair, body, neck, face, eyes, mouth, front hair, accessories.
 */
final class BustPainter {

    private static final LabelPalette PALETTE = LabelPalette.anime();
    static final LabelClass EYE = PALETTE.classes().get(0);
    static final LabelClass FACE = PALETTE.classes().get(1);
    static final LabelClass HAIR = PALETTE.classes().get(2);
    static final LabelClass OTHER = PALETTE.classes().get(3);
    static final LabelClass BACKGROUND = PALETTE.background();

    private static final Color[] NATURAL_HAIR = {
        new Color(38, 34, 44), new Color(72, 48, 38), new Color(118, 78, 52), new Color(168, 120, 78),
        new Color(232, 204, 132), new Color(236, 230, 214), new Color(150, 62, 42), new Color(212, 112, 52),
        new Color(186, 188, 200)};
    private static final Color[] SKIN = {
        new Color(255, 232, 218), new Color(255, 224, 204), new Color(250, 214, 190), new Color(236, 196, 168),
        new Color(206, 160, 128), new Color(255, 238, 228)};

    private final SplittableRandom rnd;
    private final int size;
    private final TwoLayerCanvas canvas;
    private final AffineTransform head;
    private final AffineTransform body;
    private final double faceWidth;   // pixels
    private final double turn;        // head yaw, radians
    private final int light;          // +1: light from the left, shadows on the right
    private final Color hair;
    private final Color hairShadow;
    private final Color hairLight;
    private final Color hairInk;
    private final Color skin;
    private final Color skinShadow;
    private final Color skinInk;
    private final Color ink = new Color(52, 36, 44);

    BustPainter(SplittableRandom rnd, int size, BufferedImage art, BufferedImage label, Color hairColour) {
        this.rnd = rnd;
        this.size = size;
        this.canvas = new TwoLayerCanvas(art, label);
        faceWidth = size * u(0.28, 0.44);
        double cx = size * u(0.36, 0.64);
        double cy = size * u(0.34, 0.46);
        double tilt = u(-0.22, 0.22);
        turn = u(-0.22, 0.22);
        light = rnd.nextBoolean() ? 1 : -1;
        head = new AffineTransform();
        head.translate(cx, cy);
        head.rotate(tilt);
        head.scale(faceWidth, faceWidth);
        body = new AffineTransform();
        body.translate(cx + turn * 0.3 * faceWidth, cy);
        body.rotate(tilt * 0.25);
        body.scale(faceWidth, faceWidth);
        hair = hairColour;
        hairShadow = shade(hair, 0.72, 0.9);
        hairLight = mix(hair, Color.WHITE, 0.5);
        hairInk = shade(hair, 0.38, 0.8);
        skin = jitter(SKIN[rnd.nextInt(SKIN.length)], 6);
        skinShadow = new Color((int) (skin.getRed() * 0.93), (int) (skin.getGreen() * 0.8), (int) (skin.getBlue() * 0.8));
        skinInk = new Color((int) (skin.getRed() * 0.62), (int) (skin.getGreen() * 0.4), (int) (skin.getBlue() * 0.38));
    }

    /** A hair colour: 40 % natural shades, 60 % anywhere in a broad HSV range. */
    static Color sampleHairColour(SplittableRandom rnd) {
        if (rnd.nextDouble() < 0.4) {
            Color c = NATURAL_HAIR[rnd.nextInt(NATURAL_HAIR.length)];
            return new Color(clamp(c.getRed() + rnd.nextInt(-14, 15)), clamp(c.getGreen() + rnd.nextInt(-14, 15)),
                    clamp(c.getBlue() + rnd.nextInt(-14, 15)));
        }
        return Color.getHSBColor((float) rnd.nextDouble(), (float) (0.25 + 0.7 * rnd.nextDouble()),
                (float) (0.35 + 0.6 * rnd.nextDouble()));
    }

    void paint() {
        background();
        HairStyle style = new HairStyle();
        backHair(style);
        bodyAndClothes();
        Shape face = face();
        eyes();
        mouthAndNose();
        frontHair(style, face);
        accessories(style);
        canvas.dispose();
    }

    // ---------------------------------------------------------------- background

    private void background() {
        Rectangle2D all = new Rectangle2D.Double(0, 0, size, size);
        Color base = Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.05, 0.35), (float) u(0.8, 1.0));
        Color second = mix(base, Color.getHSBColor((float) rnd.nextDouble(), 0.3f, 0.95f), 0.5);
        int kind = rnd.nextInt(5);
        if (kind == 1) {
            canvas.fill(all, BACKGROUND, new GradientPaint(0, 0, base, 0, size, second));
            return;
        }
        canvas.fill(all, BACKGROUND, base);
        if (kind == 2) {          // diagonal stripes
            double w = size * u(0.04, 0.1);
            for (double x = -size; x < 2 * size; x += 2 * w) {
                Path2D p = new Path2D.Double();
                p.moveTo(x, 0);
                p.lineTo(x + w, 0);
                p.lineTo(x + w + size, size);
                p.lineTo(x + size, size);
                p.closePath();
                canvas.paint(p, second);
            }
        } else if (kind == 3) {   // polka dots
            double step = size * u(0.08, 0.16);
            double r = step * u(0.12, 0.3);
            for (double y = step / 2; y < size + step; y += step) {
                for (double x = ((int) (y / step) % 2) * step / 2; x < size + step; x += step) {
                    canvas.paint(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r), second);
                }
            }
        } else if (kind == 4) {   // soft circles
            for (int i = 0; i < 6; i++) {
                double r = size * u(0.08, 0.25);
                double x = size * rnd.nextDouble();
                double y = size * rnd.nextDouble();
                canvas.paint(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r), alpha(second, 0.55));
            }
        }
    }

    // ---------------------------------------------------------------- hair

    /** The randomly drawn hair style shared by the back and the front hair. */
    private final class HairStyle {
        final double volume = u(1.02, 1.2);
        final int length = rnd.nextInt(3);           // 0 short, 1 medium, 2 long
        final int bangs = rnd.nextInt(4);            // 0 straight, 1 swept, 2 parted, 3 spiky
        final double bangY = u(-0.36, -0.16);        // bang tips, head units (eye top is about -0.1)
        final int strands = bangs == 3 ? rnd.nextInt(4, 7) : rnd.nextInt(5, 10);
        final double sweep = (rnd.nextBoolean() ? 1 : -1) * u(0.1, 0.3);
        final boolean sideLocks = rnd.nextDouble() < 0.75;
        final double sideLength = length == 2 && rnd.nextBoolean() ? u(1.4, 2.4) : u(0.25, 1.1); // long: over the shoulders
        final boolean twinTails = length < 2 && rnd.nextDouble() < 0.2;
        final boolean ahoge = rnd.nextDouble() < 0.3;
        final double domeTop = -0.33 - 0.62 * volume;
    }

    private void backHair(HairStyle st) {
        double v = st.volume;
        double bottom = switch (st.length) {
            case 0 -> u(0.45, 0.8);
            case 1 -> u(1.2, 1.9);
            default -> u(2.6, 4.5);
        };
        double spread = st.length == 0 ? 0.62 * v : u(0.68, 0.95) * v;
        Path2D p = new Path2D.Double();
        p.moveTo(0, st.domeTop);
        p.curveTo(0.5 * v, st.domeTop, 0.66 * v, -0.62, 0.66 * v, -0.2);
        p.curveTo(0.66 * v, 0.2, spread, bottom * 0.5, spread, bottom - 0.1);
        jaggedEdge(p, spread, bottom, -spread, bottom, st.length == 0 ? 4 : 6, 0.12 + 0.04 * st.length);
        p.curveTo(-spread, bottom * 0.5, -0.66 * v, 0.2, -0.66 * v, -0.2);
        p.curveTo(-0.66 * v, -0.62, -0.5 * v, st.domeTop, 0, st.domeTop);
        p.closePath();
        List<Shape> parts = new ArrayList<>();
        parts.add(h(p));
        if (st.twinTails) {
            for (int s = -1; s <= 1; s += 2) {
                parts.add(h(twinTail(s, v)));
            }
        }
        for (Shape part : parts) {
            canvas.fill(part, HAIR, hair);
            // the hair behind the neck lies in shadow
            canvas.paint(h(new Ellipse2D.Double(-0.55, 0.4, 1.1, 1.1)), part, hairShadow);
            canvas.line(part, hairInk, line(1.1));
        }
        // strands: a few long lines down the back hair
        for (int i = 0; i < 4; i++) {
            double x = u(-0.9, 0.9) * spread;
            canvas.line(h(new QuadCurve2D.Double(x * 0.6, 0.2, x * 1.05, bottom * 0.55, x, bottom - 0.2)),
                    parts.get(0), alpha(hairInk, 0.5), line(0.7));
        }
    }

    private Path2D twinTail(int side, double v) {
        double x0 = side * 0.55 * v;
        double len = u(1.8, 3.2);
        double w = u(0.28, 0.42);
        double out = side * u(0.35, 0.6);
        Path2D p = new Path2D.Double();
        p.moveTo(x0 - side * 0.1, -0.75);
        p.curveTo(x0 + out + side * w, -0.7, x0 + out + side * w * 1.2, len * 0.5, x0 + out * 0.6, len);
        p.curveTo(x0 + out * 0.8 - side * w * 0.2, len * 0.6, x0 + side * 0.05, 0.0, x0 - side * 0.05, -0.45);
        p.closePath();
        return p;
    }

    /**
     * Appends a jagged strand edge from (x0,y0) to (x1,y1): {@code n} pointed tips with valleys
     * {@code depth} above them.
     */
    private void jaggedEdge(Path2D p, double x0, double y0, double x1, double y1, int n, double depth) {
        Point2D start = p.getCurrentPoint();
        double px = start.getX();
        double py = start.getY();
        for (int i = 0; i <= n; i++) {
            double t = i / (double) n;
            double tx = x0 + (x1 - x0) * t + (i == 0 || i == n ? 0 : u(-0.3, 0.3) * (x1 - x0) / n);
            double ty = y0 + (y1 - y0) * t + u(-0.4, 0.4) * depth;
            if (i > 0) {
                double vx = (px + tx) / 2 + u(-0.1, 0.1) * (x1 - x0) / n;
                double vy = Math.min(py, ty) - depth * u(0.6, 1.2);
                p.quadTo(px + (vx - px) * 0.4, vy + (py - vy) * 0.5, vx, vy);
                p.quadTo(tx + (vx - tx) * 0.4, vy + (ty - vy) * 0.5, tx, ty);
            } else {
                p.lineTo(tx, ty);
            }
            px = tx;
            py = ty;
        }
    }

    private void frontHair(HairStyle st, Shape face) {
        double v = st.volume;
        double templeX = 0.6 * v;
        double templeY = u(-0.12, 0.05);
        Path2D p = new Path2D.Double();
        p.moveTo(-templeX, templeY);
        p.curveTo(-0.68 * v, -0.55, -0.5 * v, st.domeTop, 0, st.domeTop);
        p.curveTo(0.5 * v, st.domeTop, 0.68 * v, -0.55, templeX, templeY);
        List<Point2D> valleys = fringe(p, st, templeX);
        p.closePath();
        Area front = new Area(h(p));
        if (st.sideLocks) {
            for (int s = -1; s <= 1; s += 2) {
                front.add(new Area(h(sideLock(s, st))));
            }
        }
        if (st.ahoge) {
            front.add(new Area(h(ahoge(st))));
        }
        // hair shadow cast on the face just below the fringe
        AffineTransform down = new AffineTransform(head);
        down.translate(light * 0.03, 0.07);
        canvas.paint(down.createTransformedShape(p), face, skinShadow);
        canvas.fill(front, HAIR, hair);
        // cel shadow: a crescent along the rim away from the light
        Area shadow = new Area(h(new Rectangle2D.Double(-3, -3, 6, 6)));
        shadow.subtract(new Area(h(new Ellipse2D.Double(light * 0.12 - 0.75 * v, st.domeTop + 0.06, 1.5 * v, 2.6))));
        canvas.paint(shadow, front, hairShadow);
        // strand gaps: a short dark wedge up from each valley of the fringe
        for (Point2D val : valleys) {
            Path2D wedge = new Path2D.Double();
            double len = u(0.12, 0.25);
            wedge.moveTo(val.getX() - 0.035, val.getY() + 0.01);
            wedge.quadTo(val.getX(), val.getY() - len * 0.5, val.getX() + st.sweep * 0.2, val.getY() - len);
            wedge.quadTo(val.getX() + 0.01, val.getY() - len * 0.4, val.getX() + 0.035, val.getY() + 0.01);
            wedge.closePath();
            canvas.paint(h(wedge), front, hairShadow);
        }
        highlights(st, front);
        canvas.line(front, hairInk, line(1.2));
        for (Point2D val : valleys) {
            canvas.line(h(new QuadCurve2D.Double(val.getX(), val.getY(), val.getX() * 0.8, -0.5,
                    val.getX() * 0.5, st.domeTop + 0.15)), front, alpha(hairInk, 0.45), line(0.6));
        }
    }

    /** The fringe's lower edge from the right temple to the left one; returns the valleys. */
    private List<Point2D> fringe(Path2D p, HairStyle st, double templeX) {
        List<Point2D> valleys = new ArrayList<>();
        int n = st.strands;
        double edge = 0.5;
        double prevX = templeX;
        double prevY = p.getCurrentPoint().getY();
        for (int i = 0; i <= n; i++) {
            double t = i / (double) n;
            double x = edge - 2 * edge * t + (i == 0 || i == n ? 0 : u(-0.25, 0.25) / n);
            double y = st.bangY + u(-0.04, 0.04);
            double depth = u(0.1, 0.22);
            switch (st.bangs) {
                case 0 -> {
                    y = st.bangY + u(-0.015, 0.015);
                    depth = u(0.04, 0.08);
                }
                case 1 -> y += st.sweep * x * 0.8;
                case 2 -> y = st.bangY + 0.1 + (Math.abs(x) - 0.25) * 0.35 + u(-0.03, 0.03);
                default -> {
                    y += u(-0.05, 0.07);
                    depth = u(0.18, 0.32);
                }
            }
            if (i == 0 || i == n) {
                y = Math.max(y, st.bangY) + 0.1;    // longer strands at the temples
            }
            double vx = (prevX + x) / 2;
            double vy = Math.min(prevY, y) - depth;
            if (st.bangs == 2 && Math.abs(vx) < 0.12) {
                vy = st.domeTop + 0.35;            // the parting
            }
            double lean = st.bangs == 1 ? st.sweep * 0.5 : 0;
            if (i == 0) {
                p.quadTo(templeX, (prevY + y) / 2, x, y);
            } else {
                // convex strand sides: leave the tip sideways, enter the valley almost vertically
                p.quadTo(vx + (prevX - vx) * 0.3 + lean * 0.1, vy + (prevY - vy) * 0.7, vx, vy);
                p.quadTo(vx + (x - vx) * 0.3 + lean * 0.1, vy + (y - vy) * 0.7, x, y);
                valleys.add(new Point2D.Double(vx, vy));
            }
            prevX = x;
            prevY = y;
        }
        p.quadTo(-templeX, prevY - 0.05, -templeX, p.getCurrentPoint().getY() - 0.1);
        return valleys;
    }

    private Path2D sideLock(int s, HairStyle st) {
        double len = st.sideLength;
        double tipX = s * u(0.4, 0.56);
        Path2D p = new Path2D.Double();
        p.moveTo(s * 0.62 * st.volume, -0.45);
        p.quadTo(s * 0.66, len * 0.5, tipX, len);
        p.quadTo(s * 0.42, len * 0.45, s * 0.36, -0.2);
        p.closePath();
        return p;
    }

    private Path2D ahoge(HairStyle st) {
        double x = u(-0.15, 0.15);
        double y = st.domeTop + 0.04;
        double dir = rnd.nextBoolean() ? 1 : -1;
        Path2D p = new Path2D.Double();
        p.moveTo(x - 0.05, y + 0.05);
        p.curveTo(x - 0.05, y - 0.25, x + dir * 0.3, y - 0.3, x + dir * 0.28, y - 0.12);
        p.curveTo(x + dir * 0.22, y - 0.22, x + 0.06, y - 0.18, x + 0.05, y + 0.05);
        p.closePath();
        return p;
    }

    /** The "angel ring": a row of light, pointed streaks across the crown. */
    private void highlights(HairStyle st, Shape front) {
        double ringY = st.domeTop + u(0.25, 0.38);
        int n = rnd.nextInt(5, 9);
        double half = 0.42 * st.volume;
        Path2D ring = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double x = -half + 2 * half * (i + u(0.2, 0.8)) / n;
            double w = 0.5 * half / n * u(0.6, 1.2);
            double up = u(0.06, 0.14);
            double dn = u(0.06, 0.18);
            double y = ringY + x * x * 0.35;
            ring.moveTo(x, y - up);
            ring.quadTo(x + w, y, x, y + dn);
            ring.quadTo(x - w, y, x, y - up);
            ring.closePath();
        }
        canvas.paint(h(ring), front, hairLight);
    }

    // ---------------------------------------------------------------- body

    private void bodyAndClothes() {
        double shoulderY = u(0.92, 1.08);
        double neckW = u(0.14, 0.18);
        Path2D neck = new Path2D.Double();
        neck.moveTo(-neckW, 0.2);
        neck.lineTo(neckW, 0.2);
        neck.lineTo(neckW * 1.1, shoulderY + 0.6);
        neck.lineTo(-neckW * 1.1, shoulderY + 0.6);
        neck.closePath();
        Shape neckPx = b(neck);
        canvas.fill(neckPx, FACE, skin);
        // chin shadow on the neck
        canvas.paint(b(new Ellipse2D.Double(-0.4, 0.0, 0.8, 0.85)), neckPx, skinShadow);
        canvas.line(neckPx, skinInk, line(1.0));

        double sw = u(1.0, 1.3);
        Path2D torso = new Path2D.Double();
        torso.moveTo(-neckW * 1.1, shoulderY - 0.08);
        torso.quadTo(-0.45 * sw, shoulderY + 0.05, -0.8 * sw, shoulderY + 0.22);
        torso.quadTo(-1.08 * sw, shoulderY + 0.35, -1.12 * sw, shoulderY + 0.8);
        torso.lineTo(-1.2 * sw, 8);
        torso.lineTo(1.2 * sw, 8);
        torso.lineTo(1.12 * sw, shoulderY + 0.8);
        torso.quadTo(1.08 * sw, shoulderY + 0.35, 0.8 * sw, shoulderY + 0.22);
        torso.quadTo(0.45 * sw, shoulderY + 0.05, neckW * 1.1, shoulderY - 0.08);
        torso.closePath();
        int outfit = rnd.nextInt(4);
        Color cloth = clothColour(outfit);
        Area clothes = new Area(b(torso));
        double necklineDepth = u(0.2, 0.45);
        Path2D neckline = new Path2D.Double();
        if (outfit == 2) {      // round neckline
            neckline.append(new Ellipse2D.Double(-neckW * 1.5, shoulderY - 0.3, neckW * 3, 0.3 + necklineDepth), false);
        } else {                // V neckline
            neckline.moveTo(-neckW * 1.4, shoulderY - 0.2);
            neckline.lineTo(neckW * 1.4, shoulderY - 0.2);
            neckline.lineTo(0, shoulderY + necklineDepth);
            neckline.closePath();
        }
        clothes.subtract(new Area(b(neckline)));
        canvas.fill(clothes, OTHER, cloth);
        // the side away from the light is in shadow; folds
        canvas.paint(b(new Rectangle2D.Double(light > 0 ? 0.35 * sw : -5, 0, 4.65, 9)), clothes, shade(cloth, 0.78, 1.0));
        canvas.paint(b(new Ellipse2D.Double(-0.5, shoulderY - 0.2, 1.0, 0.55)), clothes, shade(cloth, 0.86, 1.0));
        for (int i = 0; i < 3; i++) {
            double x = u(-1.0, 1.0) * sw;
            canvas.line(b(new QuadCurve2D.Double(x, shoulderY + u(0.6, 1.0), x * 1.1, shoulderY + 1.5, x * 1.15, shoulderY + 2.4)),
                    clothes, alpha(shade(cloth, 0.5, 1.0), 0.6), line(0.8));
        }
        canvas.line(clothes, ink, line(1.2));
        switch (outfit) {
            case 0 -> sailorCollar(shoulderY, neckW, necklineDepth, sw);
            case 1 -> shirtAndTie(shoulderY, neckW, necklineDepth);
            case 2 -> collarBand(shoulderY, neckW, necklineDepth, cloth);
            default -> { }
        }
    }

    private Color clothColour(int outfit) {
        return switch (outfit) {
            case 0 -> rnd.nextBoolean() ? new Color(245, 245, 250) : new Color(40, 50, 90);
            case 1 -> Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.2, 0.6), (float) u(0.2, 0.5));
            default -> Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.15, 0.7), (float) u(0.5, 0.95));
        };
    }

    private void sailorCollar(double sy, double neckW, double depth, double sw) {
        Color collar = Color.getHSBColor((float) u(0.55, 0.7), (float) u(0.4, 0.8), (float) u(0.25, 0.5));
        Path2D c = new Path2D.Double();
        c.moveTo(-neckW * 1.4, sy - 0.2);
        c.lineTo(0, sy + depth);
        c.lineTo(neckW * 1.4, sy - 0.2);
        c.lineTo(0.75 * sw, sy + 0.15);
        c.lineTo(0.35, sy + depth + 0.55);
        c.lineTo(0, sy + depth + 0.35);
        c.lineTo(-0.35, sy + depth + 0.55);
        c.lineTo(-0.75 * sw, sy + 0.15);
        c.closePath();
        Shape cp = b(c);
        canvas.fill(cp, OTHER, collar);
        AffineTransform inner = new AffineTransform(body);
        inner.translate(0, sy);
        inner.scale(0.85, 0.85);
        inner.translate(0, -sy + 0.05);
        canvas.line(inner.createTransformedShape(c), cp, new Color(245, 245, 245), line(1.3));
        canvas.line(cp, ink, line(1.1));
        ribbon(0, sy + depth + 0.32, 0.22, new Color(200, 40, 50));
    }

    private void shirtAndTie(double sy, double neckW, double depth) {
        Path2D shirt = new Path2D.Double();
        shirt.moveTo(-neckW * 1.4, sy - 0.2);
        shirt.lineTo(neckW * 1.4, sy - 0.2);
        shirt.lineTo(0.3, sy + depth + 0.4);
        shirt.lineTo(0, sy + depth + 1.4);
        shirt.lineTo(-0.3, sy + depth + 0.4);
        shirt.closePath();
        Area s = new Area(b(shirt));
        Path2D open = new Path2D.Double();
        open.moveTo(-neckW * 1.1, sy - 0.2);
        open.lineTo(neckW * 1.1, sy - 0.2);
        open.lineTo(0, sy + 0.1);
        open.closePath();
        s.subtract(new Area(b(open)));
        canvas.fill(s, OTHER, new Color(248, 248, 252));
        canvas.line(s, ink, line(1.0));
        Color tie = Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.5, 0.9), (float) u(0.4, 0.8));
        Path2D t = new Path2D.Double();
        t.moveTo(-0.05, sy + 0.1);
        t.lineTo(0.05, sy + 0.1);
        t.lineTo(0.1, sy + 0.9);
        t.lineTo(0, sy + 1.05);
        t.lineTo(-0.1, sy + 0.9);
        t.closePath();
        canvas.fill(b(t), OTHER, tie);
        canvas.line(b(t), ink, line(0.9));
    }

    private void collarBand(double sy, double neckW, double depth, Color cloth) {
        Shape band = b(new Arc2D.Double(-neckW * 1.5, sy - 0.3, neckW * 3, 0.3 + depth, 180, 180, Arc2D.OPEN));
        canvas.line(band, shade(cloth, 0.7, 1.0), line(3.0));
        if (rnd.nextBoolean()) {       // hoodie strings
            for (int s = -1; s <= 1; s += 2) {
                canvas.line(b(new QuadCurve2D.Double(s * 0.15, sy + depth * 0.8, s * 0.18, sy + depth + 0.3, s * 0.12, sy + depth + 0.7)),
                        new Color(250, 250, 250), line(1.5));
            }
        }
    }

    private void ribbon(double x, double y, double w, Color c) {
        ribbonAt(body, x, y, w, c);
    }

    /** A bow: two loops and a knot, class "other". */
    private void ribbonAt(AffineTransform t, double x, double y, double w, Color c) {
        Path2D p = new Path2D.Double();
        p.moveTo(x, y);
        p.curveTo(x - w, y - w * 0.9, x - w * 1.3, y + w * 0.1, x - w * 0.2, y + w * 0.6);
        p.closePath();
        p.moveTo(x, y);
        p.curveTo(x + w, y - w * 0.9, x + w * 1.3, y + w * 0.1, x + w * 0.2, y + w * 0.6);
        p.closePath();
        p.append(new Ellipse2D.Double(x - w * 0.18, y - w * 0.1, w * 0.36, w * 0.36), false);
        Shape s = t.createTransformedShape(p);
        canvas.fill(s, OTHER, c);
        canvas.paint(t.createTransformedShape(new Rectangle2D.Double(x - 2 * w, y + w * 0.15, 4 * w, w)), s, shade(c, 0.75, 1.0));
        canvas.line(s, ink, line(1.0));
    }

    // ---------------------------------------------------------------- face

    private Shape face() {
        double chin = u(0.62, 0.74);
        double cx = 0.16 * Math.sin(turn);
        double jaw = u(0.22, 0.36);
        Path2D p = new Path2D.Double();
        p.moveTo(-0.5, -0.45);
        p.lineTo(-0.5, 0.05);
        p.curveTo(-0.49, 0.3, -jaw + cx, chin - 0.12, cx, chin);
        p.curveTo(jaw + cx, chin - 0.12, 0.49, 0.3, 0.5, 0.05);
        p.lineTo(0.5, -0.45);
        p.curveTo(0.5, -1.0, -0.5, -1.0, -0.5, -0.45);
        p.closePath();
        // ears, half hidden behind the cheeks
        for (int s = -1; s <= 1; s += 2) {
            Shape ear = h(new Ellipse2D.Double(s * 0.5 - 0.07, -0.05, 0.14, 0.26));
            canvas.fill(ear, FACE, skin);
            canvas.line(ear, skinInk, line(0.9));
        }
        Shape face = h(p);
        canvas.fill(face, FACE, skin);
        // cel shadow along the cheek away from the light
        canvas.paint(h(new Ellipse2D.Double(-0.55 + light * 0.1, -0.9, 1.1, 1.75)), face, skin);
        Area shadow = new Area(face);
        shadow.subtract(new Area(h(new Ellipse2D.Double(-0.58 - light * 0.05, -1.1, 1.16, 1.95))));
        canvas.paint(shadow, skinShadow);
        canvas.line(face, skinInk, line(1.1));
        if (rnd.nextDouble() < 0.6) {        // blush
            Color blush = new Color(255, 120, 130, 70);
            for (int s = -1; s <= 1; s += 2) {
                double x = warp(s * 0.25);
                canvas.paint(h(new Ellipse2D.Double(x - 0.1, 0.26, 0.2, 0.08)), face, blush);
            }
        }
        return face;
    }

    /** Horizontal position of a facial feature at {@code x} when the head turns. */
    private double warp(double x) {
        return 0.5 * Math.sin(Math.asin(Math.max(-1, Math.min(1, 2 * x))) + turn);
    }

    private void eyes() {
        double y = u(0.0, 0.08);
        double width = u(0.21, 0.28);
        double height = width * u(0.9, 1.3);
        double spacing = u(0.19, 0.23);
        double outerLift = u(-0.25, 0.1);
        double gaze = u(-0.12, 0.12);
        Color iris = Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.4, 0.9), (float) u(0.45, 0.9));
        for (int s = -1; s <= 1; s += 2) {
            double x = warp(s * spacing);
            double scale = Math.cos(Math.asin(2 * s * spacing) + turn) / Math.cos(Math.asin(2 * s * spacing));
            eye(x, y, width * scale, height, s, outerLift, gaze, iris);
        }
    }

    private void eye(double cx, double cy, double w, double hgt, int side, double lift, double gaze, Color irisColour) {
        // eye-local coordinates: u along the eye from the inner (-0.5) to the outer (+0.5) corner
        AffineTransform et = new AffineTransform(head);
        et.translate(cx, cy);
        et.scale(side * w, hgt);
        Path2D shape = new Path2D.Double();
        shape.moveTo(-0.5, 0.05);
        shape.curveTo(-0.35, -0.42, 0.2, -0.55, 0.55, -0.2 + lift);
        shape.curveTo(0.5, 0.35, 0.2, 0.52, -0.05, 0.5);
        shape.curveTo(-0.3, 0.5, -0.48, 0.3, -0.5, 0.05);
        shape.closePath();
        Shape eye = et.createTransformedShape(shape);
        canvas.fill(eye, EYE, new Color(250, 250, 255));
        canvas.paint(et.createTransformedShape(new Rectangle2D.Double(-1, -1, 2, 0.75)), eye, new Color(210, 214, 236));
        double ix = 0.05 + gaze * side;
        Shape iris = et.createTransformedShape(new Ellipse2D.Double(ix - 0.3, -0.42, 0.6, 0.92));
        Point2D top = et.transform(new Point2D.Double(ix, -0.4), null);
        Point2D bottom = et.transform(new Point2D.Double(ix, 0.45), null);
        canvas.paint(iris, eye, new GradientPaint(top, shade(irisColour, 0.35, 1.0), bottom, mix(irisColour, Color.WHITE, 0.3)));
        canvas.paint(et.createTransformedShape(new Ellipse2D.Double(ix - 0.13, -0.22, 0.26, 0.46)), eye, shade(irisColour, 0.25, 1.0));
        canvas.line(iris, eye, shade(irisColour, 0.3, 1.0), line(0.8));
        canvas.paint(et.createTransformedShape(new Ellipse2D.Double(ix - 0.24, -0.32, 0.22, 0.24)), eye, Color.WHITE);
        canvas.paint(et.createTransformedShape(new Ellipse2D.Double(ix + 0.08, 0.18, 0.11, 0.11)), eye, new Color(255, 255, 255, 220));
        // lashes: a thick upper line with a small wing, a thin lower line
        Path2D upper = new Path2D.Double();
        upper.moveTo(-0.52, 0.08);
        upper.curveTo(-0.35, -0.42, 0.2, -0.55, 0.55, -0.2 + lift);
        upper.lineTo(0.68, -0.1 + lift);
        canvas.line(et.createTransformedShape(upper), ink, line(2.8));
        canvas.line(et.createTransformedShape(new QuadCurve2D.Double(0.05, 0.52, 0.4, 0.45, 0.5, 0.2)), alpha(ink, 0.8), line(0.8));
        // eyebrow
        Path2D brow = new Path2D.Double();
        brow.moveTo(-0.45, -0.95);
        brow.quadTo(0.05, -1.15 + lift * 0.3, 0.5, -0.9);
        canvas.line(et.createTransformedShape(brow), hairInk, line(1.0));
    }

    private void mouthAndNose() {
        double x = warp(0.0);
        canvas.line(h(new QuadCurve2D.Double(x + 0.01, 0.3, x + light * 0.03, 0.36, x - 0.01, 0.37)), skinInk, line(0.9));
        double my = u(0.48, 0.56);
        double mw = u(0.08, 0.18);
        Path2D m = new Path2D.Double();
        if (rnd.nextDouble() < 0.5) {                  // open, smiling
            double mh = u(0.05, 0.1);
            m.moveTo(x - mw / 2, my);
            m.quadTo(x, my + 0.02, x + mw / 2, my);
            m.quadTo(x + mw / 2, my + mh, x, my + mh * 1.1);
            m.quadTo(x - mw / 2, my + mh, x - mw / 2, my);
            m.closePath();
            Shape mouth = h(m);
            canvas.fill(mouth, OTHER, new Color(160, 50, 60));
            canvas.paint(h(new Ellipse2D.Double(x - mw * 0.3, my + mh * 0.55, mw * 0.6, mh * 0.8)), mouth, new Color(236, 120, 130));
            canvas.line(mouth, skinInk, line(0.9));
        } else {                                       // closed: a thin crescent
            double curve = u(-0.02, 0.04);
            m.moveTo(x - mw / 2, my);
            m.quadTo(x, my + curve + 0.04, x + mw / 2, my);
            m.quadTo(x, my + curve + 0.015, x - mw / 2, my);
            m.closePath();
            Shape mouth = h(m);
            canvas.fill(mouth, OTHER, new Color(150, 70, 72));
            canvas.line(mouth, skinInk, line(0.7));
        }
    }

    // ---------------------------------------------------------------- accessories

    private void accessories(HairStyle st) {
        int side = rnd.nextBoolean() ? 1 : -1;
        Color c = Color.getHSBColor((float) rnd.nextDouble(), (float) u(0.4, 0.9), (float) u(0.6, 1.0));
        double r = rnd.nextDouble();
        if (st.twinTails) {
            for (int s = -1; s <= 1; s += 2) {
                ribbonAt(head, s * 0.6 * st.volume, -0.72, 0.18, c);
            }
        } else if (r < 0.25) {
            ribbonAt(head, side * 0.45 * st.volume, st.domeTop + 0.3, u(0.18, 0.3), c);
        } else if (r < 0.45) {                         // hair clips
            for (int i = 0; i < rnd.nextInt(1, 3); i++) {
                AffineTransform t = new AffineTransform(head);
                t.translate(side * (0.3 + 0.08 * i), st.bangY - 0.12 - 0.02 * i);
                t.rotate(side * u(0.5, 1.1));
                Shape clip = t.createTransformedShape(new Rectangle2D.Double(-0.12, -0.025, 0.24, 0.05));
                canvas.fill(clip, OTHER, c);
                canvas.line(clip, ink, line(0.8));
            }
        } else if (r < 0.6) {                          // headband
            double y = st.domeTop + u(0.15, 0.3);
            Shape arc = h(new Arc2D.Double(-0.63 * st.volume, y, 1.26 * st.volume, 1.4, 20, 140, Arc2D.OPEN));
            java.awt.BasicStroke band = new java.awt.BasicStroke((float) (0.08 * faceWidth), java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_ROUND);
            Shape s = band.createStrokedShape(arc);
            canvas.fill(s, OTHER, c);
            canvas.line(s, ink, line(0.9));
        } else if (r < 0.7) {                          // flower
            double fx = side * 0.5 * st.volume;
            double fy = st.domeTop + 0.4;
            Path2D f = new Path2D.Double();
            for (int i = 0; i < 5; i++) {
                double a = i * 2 * Math.PI / 5;
                f.append(new Ellipse2D.Double(fx + 0.09 * Math.cos(a) - 0.07, fy + 0.09 * Math.sin(a) - 0.07, 0.14, 0.14), false);
            }
            Shape fl = h(f);
            Area area = new Area(fl);
            canvas.fill(area, OTHER, c);
            canvas.line(area, ink, line(0.8));
            canvas.paint(h(new Ellipse2D.Double(fx - 0.045, fy - 0.045, 0.09, 0.09)), new Color(255, 220, 90));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Shape h(Shape local) {
        return head.createTransformedShape(local);
    }

    private Shape b(Shape local) {
        return body.createTransformedShape(local);
    }

    /** An ink width in pixels: {@code rel} times the base width, which follows the face size. */
    private double line(double rel) {
        return rel * Math.max(0.6, faceWidth * 0.012);
    }

    private double u(double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(clamp((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t)),
                clamp((int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t)),
                clamp((int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t)));
    }

    /** Darker (brightness × {@code value}) and slightly more saturated (× 1/{@code sat}), hue kept. */
    static Color shade(Color c, double value, double sat) {
        float[] hsb = Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null);
        return Color.getHSBColor(hsb[0], (float) Math.min(1, hsb[1] / sat + (1 - value) * 0.2), (float) (hsb[2] * value));
    }

    private static Color alpha(Color c, double a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * a));
    }

    private Color jitter(Color c, int d) {
        return new Color(clamp(c.getRed() + rnd.nextInt(-d, d + 1)), clamp(c.getGreen() + rnd.nextInt(-d, d + 1)),
                clamp(c.getBlue() + rnd.nextInt(-d, d + 1)));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
