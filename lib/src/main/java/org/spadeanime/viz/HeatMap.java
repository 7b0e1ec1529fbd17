package org.spadeanime.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A 2-D scalar field (patch logits, a gradient, attention weights, a feature channel, a mask)
 * drawn as a colour image: viridis for values that only grow (dark = low, yellow = high), or a
 * diverging blue–white–red map centred on 0 for signed values ({@link #signed()}). The colour range
 * is the field's min..max unless set; small fields can be enlarged with nearest neighbours so each
 * value stays a crisp square, and the result can be blended over an image.
 *
 * <pre>{@code
 * HeatMap.of(logits).signed().size(256).image()        // D's patch logits, 0 = white
 * HeatMap.of(weights, 32, 32).mark(5, 9).over(photo, 0.6)
 * }</pre>
 */
public final class HeatMap {

    /** matplotlib's viridis at 0, 1/8, …, 1. */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80,
        0x5ec962, 0xaddc30, 0xfde725};
    /** matplotlib's RdBu reversed at 0, 1/8, …, 1: blue for negative, white at 0, red for positive. */
    private static final int[] DIVERGING = {0x053061, 0x2a71b2, 0x6bacd1, 0xc2ddec, 0xf7f6f6, 0xfbccb4,
        0xe48066, 0xba2832, 0x67001f};

    private final float[] values;
    private final int width;
    private final int height;
    private boolean signed;
    private float lo = Float.NaN;
    private float hi = Float.NaN;
    private int side;
    private int markX = -1;
    private int markY = -1;

    private HeatMap(float[] values, int width, int height) {
        if (width < 1 || height < 1 || values.length != width * height) {
            throw new IllegalArgumentException("heat map: " + values.length + " values for " + width + "×" + height);
        }
        this.values = values;
        this.width = width;
        this.height = height;
    }

    /** A field of {@code width × height} values, row-major. */
    public static HeatMap of(float[] values, int width, int height) {
        return new HeatMap(values, width, height);
    }

    /** A mask: 1 (yellow) where true, 0 (dark) where false. */
    public static HeatMap of(boolean[] mask, int width, int height) {
        float[] v = new float[mask.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = mask[i] ? 1f : 0f;
        }
        return new HeatMap(v, width, height).range(0f, 1f);
    }

    /** A field from an array of shape (H, W), (1, H, W) or (1, 1, H, W). */
    public static HeatMap of(NDArray field) {
        Shape s = field.getShape();
        int d = s.dimension();
        boolean ok = d >= 2;
        for (int i = 0; i < d - 2 && ok; i++) {
            ok = s.get(i) == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("heat map: expected a field of shape (H, W), (1, H, W) or (1, 1, H, W), got " + s);
        }
        return new HeatMap(field.toType(DataType.FLOAT32, false).toFloatArray(), (int) s.get(d - 1), (int) s.get(d - 2));
    }

    /**
     * One image per channel of a (C, H, W) or (1, C, H, W) array (e.g. feature maps), each on its own
     * min..max range, enlarged to {@code side} pixels (0: as is).
     */
    public static List<BufferedImage> channels(NDArray features, int side) {
        Shape s = features.getShape();
        if (!(s.dimension() == 3 || (s.dimension() == 4 && s.get(0) == 1))) {
            throw new IllegalArgumentException("heat map channels: expected (C, H, W) or (1, C, H, W), got " + s);
        }
        int d = s.dimension();
        int c = (int) s.get(d - 3);
        int h = (int) s.get(d - 2);
        int w = (int) s.get(d - 1);
        float[] all = features.toType(DataType.FLOAT32, false).toFloatArray();
        List<BufferedImage> out = new ArrayList<>(c);
        for (int k = 0; k < c; k++) {
            float[] plane = new float[h * w];
            System.arraycopy(all, k * h * w, plane, 0, h * w);
            out.add(new HeatMap(plane, w, h).size(side).image());
        }
        return out;
    }

    /** The diverging map, centred on 0 with the range ±max|value| unless {@link #range} is set. */
    public HeatMap signed() {
        signed = true;
        return this;
    }

    /** The values drawn at the two ends of the colour map (others are clipped). */
    public HeatMap range(float low, float high) {
        if (!(high > low)) {
            throw new IllegalArgumentException("heat map range: expected low < high, got " + low + " .. " + high);
        }
        lo = low;
        hi = high;
        return this;
    }

    /** Enlarges the image with nearest neighbours so its longer side is about {@code pixels} (0: as is). */
    public HeatMap size(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("heat map size " + pixels + ": expected >= 0");
        }
        side = pixels;
        return this;
    }

    /** Marks the field cell (x, y) with a ring (e.g. the query pixel of an attention map). */
    public HeatMap mark(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("heat map mark (" + x + ", " + y + ") outside " + width + "×" + height);
        }
        markX = x;
        markY = y;
        return this;
    }

    /** The low end of the colour range. */
    public float low() {
        return range()[0];
    }

    /** The high end of the colour range. */
    public float high() {
        return range()[1];
    }

    private float[] range() {
        if (!Float.isNaN(lo)) {
            return new float[] {lo, hi};
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (signed) {
            float m = Math.max(Math.abs(min), Math.abs(max));
            return m > 0 ? new float[] {-m, m} : new float[] {-1f, 1f};
        }
        return max > min ? new float[] {min, max} : new float[] {min - 0.5f, min + 0.5f};
    }

    /** The enlargement factor for {@link #size}. */
    private int factor() {
        return side == 0 ? 1 : Math.max(1, Math.round(side / (float) Math.max(width, height)));
    }

    /** The coloured field, enlarged and marked as set. */
    public BufferedImage image() {
        float[] r = range();
        int f = factor();
        BufferedImage img = new BufferedImage(width * f, height * f, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width * f];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = (values[y * width + x] - r[0]) / (double) (r[1] - r[0]);
                int c = colour(signed ? DIVERGING : VIRIDIS, t);
                java.util.Arrays.fill(row, x * f, (x + 1) * f, c);
            }
            for (int k = 0; k < f; k++) {
                img.setRGB(0, y * f + k, width * f, 1, row, 0, width * f);
            }
        }
        if (markX >= 0) {
            ring(img, markX * f + f / 2, markY * f + f / 2, Math.max(3, f));
        }
        return img;
    }

    /**
     * The field blended over {@code base}: scaled to the base's size with nearest neighbours, then
     * {@code alpha}·heat + (1 − alpha)·grey(base), so the colours stay readable on any picture.
     */
    public BufferedImage over(BufferedImage base, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("heat map alpha " + alpha + ": expected 0..1");
        }
        BufferedImage heat = image();
        int w = base.getWidth();
        int h = base.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = heat.getRGB(x * heat.getWidth() / w, y * heat.getHeight() / h);
                int p = base.getRGB(x, y);
                int grey = (((p >> 16) & 0xFF) * 299 + ((p >> 8) & 0xFF) * 587 + (p & 0xFF) * 114) / 1000;
                out.setRGB(x, y, blend(c, grey, alpha));
            }
        }
        return out;
    }

    private static int blend(int c, int grey, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int v = (int) Math.round(alpha * ((c >> shift) & 0xFF) + (1 - alpha) * grey);
            out |= Math.max(0, Math.min(255, v)) << shift;
        }
        return out;
    }

    /** A colour map's colour at t (clipped to 0..1), linear between its anchors. */
    static int colour(int[] map, double t) {
        double u = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (map.length - 1);
        int i = Math.min(map.length - 2, (int) Math.floor(u));
        double f = u - i;
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double a = (map[i] >> shift) & 0xFF;
            double b = (map[i + 1] >> shift) & 0xFF;
            out |= (int) Math.round(a + (b - a) * f) << shift;
        }
        return out;
    }

    /** The viridis colour at t in 0..1. */
    public static int viridis(double t) {
        return colour(VIRIDIS, t);
    }

    /** The diverging colour at t in 0..1 (0.5 = white). */
    public static int diverging(double t) {
        return colour(DIVERGING, t);
    }

    /** A two-pixel ring, black outside white, around (cx, cy). */
    private static void ring(BufferedImage img, int cx, int cy, int radius) {
        for (int y = cy - radius - 2; y <= cy + radius + 2; y++) {
            for (int x = cx - radius - 2; x <= cx + radius + 2; x++) {
                if (x < 0 || y < 0 || x >= img.getWidth() || y >= img.getHeight()) {
                    continue;
                }
                double d = Math.hypot(x - cx, y - cy);
                if (d >= radius && d < radius + 1) {
                    img.setRGB(x, y, 0xFFFFFF);
                } else if (d >= radius + 1 && d < radius + 2) {
                    img.setRGB(x, y, 0x000000);
                }
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HeatMap[%d×%d, %s, %.4g .. %.4g]", width, height,
                signed ? "diverging" : "viridis", low(), high());
    }
}
