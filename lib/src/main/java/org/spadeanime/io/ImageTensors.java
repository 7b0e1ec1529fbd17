package org.spadeanime.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;

/**
 * Conversions between RGB images and channel-first float tensors. Tensors are (3, H, W) float32 with
 * values in [0, 1] ({@link #toUnit}) or [-1, 1] ({@link #toSigned}), the generator's output range.
 */
public final class ImageTensors {

    private ImageTensors() {}

    /** RGB pixels as planar floats in [0, 1]: index c·H·W + y·W + x. */
    public static float[] planar(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        return planar(img.getRGB(0, 0, w, h, null, 0, w));
    }

    /** Row-major 0xRRGGBB pixels as planar floats in [0, 1] (3 planes of {@code rgb.length}). */
    public static float[] planar(int[] rgb) {
        int plane = rgb.length;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = ((p >> 16) & 0xff) / 255f;
            out[plane + i] = ((p >> 8) & 0xff) / 255f;
            out[2 * plane + i] = (p & 0xff) / 255f;
        }
        return out;
    }

    /** A (3, H, W) tensor in [0, 1]. */
    public static NDArray toUnit(BufferedImage img, NDManager manager) {
        return manager.create(planar(img), new Shape(3, img.getHeight(), img.getWidth()));
    }

    /** A (3, H, W) tensor in [-1, 1]. */
    public static NDArray toSigned(BufferedImage img, NDManager manager) {
        float[] p = planar(img);
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] * 2f - 1f;
        }
        return manager.create(p, new Shape(3, img.getHeight(), img.getWidth()));
    }

    /** A (3, H, W) tensor with values in [lo, hi] as an RGB image (values outside are clipped). */
    public static BufferedImage toImage(NDArray chw, float lo, float hi) {
        Shape s = chw.getShape();
        if (s.dimension() != 3 || s.get(0) != 3) {
            throw new IllegalArgumentException("expected a (3, H, W) tensor, got " + s);
        }
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        float[] v = chw.toType(DataType.FLOAT32, false).toFloatArray();
        int plane = w * h;
        int[] px = new int[plane];
        float scale = 255f / (hi - lo);
        for (int i = 0; i < plane; i++) {
            int r = clamp((v[i] - lo) * scale);
            int g = clamp((v[plane + i] - lo) * scale);
            int b = clamp((v[2 * plane + i] - lo) * scale);
            px[i] = (r << 16) | (g << 8) | b;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
