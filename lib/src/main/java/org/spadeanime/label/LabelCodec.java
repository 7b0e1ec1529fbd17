package org.spadeanime.label;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Colour label images ↔ class codes / one-hot tensors for one {@link LabelPalette}.
 *
 * <p>Decoding follows the palette's {@link LabelPalette.Match} rule. Pixels that match no class colour
 * (anti-aliased edges, JPEG noise, a wrong palette) become background, as in the original, and are
 * counted: {@link LabelMap#unmatchedFraction()} tells the user when the palette does not fit the data.
 * Not thread-safe for the {@link LabelPalette.Match#NEAREST} rule (it caches colours); use one codec
 * per thread.
 */
public final class LabelCodec {

    /** {@link #code} of a pixel that matches no palette colour. */
    public static final int UNMATCHED = -1;

    private static final int THRESHOLD_LEVEL = 103; // value/255 > 0.4 ⇔ value ≥ 103

    private final LabelPalette palette;
    private final int[] colours;      // class code → RGB (0 = background)
    private final int[] thresholdTable; // 3-bit binarised colour → class code, THRESHOLD rule
    private final Map<Integer, Integer> nearestCache = new HashMap<>();

    public LabelCodec(LabelPalette palette) {
        this.palette = palette;
        List<LabelClass> cls = palette.classes();
        colours = new int[cls.size() + 1];
        colours[0] = palette.background().rgb();
        for (int i = 0; i < cls.size(); i++) {
            colours[i + 1] = cls.get(i).rgb();
        }
        thresholdTable = new int[8];
        java.util.Arrays.fill(thresholdTable, UNMATCHED);
        if (palette.match() == LabelPalette.Match.THRESHOLD) {
            for (int code = 0; code < colours.length; code++) {
                thresholdTable[binarise(colours[code])] = code;
            }
        }
    }

    public LabelPalette palette() {
        return palette;
    }

    private static int binarise(int rgb) {
        return (((rgb >> 16) & 0xFF) >= THRESHOLD_LEVEL ? 4 : 0)
                | (((rgb >> 8) & 0xFF) >= THRESHOLD_LEVEL ? 2 : 0)
                | ((rgb & 0xFF) >= THRESHOLD_LEVEL ? 1 : 0);
    }

    /** The class code of one RGB pixel: 0 background, {@code k + 1} for channel {@code k}, or {@link #UNMATCHED}. */
    public int code(int rgb) {
        if (palette.match() == LabelPalette.Match.THRESHOLD) {
            return thresholdTable[binarise(rgb)];
        }
        return nearestCache.computeIfAbsent(rgb & 0xFFFFFF, this::nearest);
    }

    private int nearest(int rgb) {
        int best = UNMATCHED;
        int bestD = palette.tolerance() + 1;
        for (int code = 0; code < colours.length; code++) {
            int d = LabelPalette.distance(rgb, colours[code]);
            if (d < bestD) {
                bestD = d;
                best = code;
            }
        }
        return best;
    }

    /** The colour (0xRRGGBB) of a class code. */
    public int colour(int code) {
        return colours[code];
    }

    /** Decodes a label image. */
    public LabelMap decode(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        return decode(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    /** Decodes row-major RGB pixels. */
    public LabelMap decode(int[] rgb, int w, int h) {
        byte[] codes = new byte[w * h];
        int unmatched = 0;
        int lastRgb = ~rgb[0];
        int lastCode = 0;
        for (int i = 0; i < codes.length; i++) {
            int p = rgb[i] & 0xFFFFFF;
            if (p != lastRgb) {
                lastRgb = p;
                lastCode = code(p);
            }
            if (lastCode == UNMATCHED) {
                unmatched++;
            } else {
                codes[i] = (byte) lastCode;
            }
        }
        return new LabelMap(codes, w, h, palette.channels(), unmatched);
    }

    /** A label image as a (C, H, W) float32 one-hot tensor. */
    public NDArray oneHot(BufferedImage img, NDManager manager) {
        LabelMap m = decode(img);
        return manager.create(m.oneHot(), new Shape(m.channels(), m.height(), m.width()));
    }

    /** The colour image of a label map (background and unmatched pixels in the background colour). */
    public BufferedImage toImage(LabelMap map) {
        int w = map.width();
        int h = map.height();
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = colours[map.code(x, y)];
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /**
     * The colour image of a (C, H, W) one-hot (or soft) tensor — each pixel takes the channel with the
     * largest value if that value exceeds 0.5, else background — or of an (H, W) tensor of class codes
     * (0 background, {@code k + 1} channel {@code k}).
     */
    public BufferedImage toImage(NDArray labels) {
        return toImage(toMap(labels));
    }

    /** The class codes of a (C, H, W) one-hot tensor or an (H, W) code tensor; see {@link #toImage(NDArray)}. */
    public LabelMap toMap(NDArray labels) {
        Shape s = labels.getShape();
        int c = palette.channels();
        if (s.dimension() == 2) {
            int h = (int) s.get(0);
            int w = (int) s.get(1);
            int[] v = labels.toType(DataType.INT32, false).toIntArray();
            byte[] codes = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0 || v[i] > c) {
                    throw new IllegalArgumentException("class code " + v[i] + " at pixel " + i + " is outside 0.." + c);
                }
                codes[i] = (byte) v[i];
            }
            return new LabelMap(codes, w, h, c, 0);
        }
        if (s.dimension() != 3 || s.get(0) != c) {
            throw new IllegalArgumentException("expected a (" + c + ", H, W) one-hot tensor or (H, W) class codes, got " + s);
        }
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        float[] v = labels.toType(DataType.FLOAT32, false).toFloatArray();
        int plane = w * h;
        byte[] codes = new byte[plane];
        for (int i = 0; i < plane; i++) {
            float best = 0.5f;
            for (int k = 0; k < c; k++) {
                if (v[k * plane + i] > best) {
                    best = v[k * plane + i];
                    codes[i] = (byte) (k + 1);
                }
            }
        }
        return new LabelMap(codes, w, h, c, 0);
    }
}
