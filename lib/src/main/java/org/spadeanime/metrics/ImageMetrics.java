package org.spadeanime.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.label.LabelMap;

/**
 * Held-out image metrics for the ablation notebook, on generator-range images: tensors in
 * [−1, 1], (3, H, W) or a batch (B, 3, H, W).
 *
 * <ul>
 * <li>{@link #l1}: mean absolute difference in the [−1, 1] range (the scale of the training loss).
 * <li>{@link #psnr}: peak signal-to-noise ratio with both images mapped to [0, 1] (peak 1),
 *     10·log10(1 / MSE), per image, averaged over a batch.
 * <li>{@link #hairColorDeltaE}: CIEDE2000 between the requested hair colour and a robust colour of
 *     the generated hair pixels.
 * </ul>
 */
public final class ImageMetrics {

    /** Channel of the hair class in the label one-hot (eye, face, hair, other). */
    public static final int HAIR_CHANNEL = 2;

    private ImageMetrics() {}

    /** Mean |a − b| over all elements (images in [−1, 1]). */
    public static double l1(NDArray a, NDArray b) {
        requireSameImages(a, b);
        return a.sub(b).abs().mean().toType(DataType.FLOAT64, false).getDouble();
    }

    /**
     * PSNR in dB of {@code b} against {@code a}, both in [−1, 1] and mapped to [0, 1]; for a batch,
     * the mean of the per-image values. Identical images give +∞.
     */
    public static double psnr(NDArray a, NDArray b) {
        requireSameImages(a, b);
        Shape s = a.getShape();
        NDArray batch = s.dimension() == 3 ? a.sub(b).expandDims(0) : a.sub(b);
        // ((a + 1)/2 − (b + 1)/2)² = (a − b)² / 4
        double[] mse = batch.square().div(4f).reshape(s.dimension() == 3 ? 1 : s.get(0), -1).mean(new int[] {1})
                .toType(DataType.FLOAT64, false).toDoubleArray();
        return Arrays.stream(mse).map(m -> 10 * Math.log10(1 / m)).average().orElseThrow();
    }

    /**
     * ΔE00 between the requested hair colour and {@link #hairColor} of the generated image.
     *
     * @param generated the generated image, (3, H, W) in [−1, 1]
     * @param labelOrMask the label one-hot (4, H, W) — channel {@value #HAIR_CHANNEL} is hair — or
     *     a hair mask (H, W) / (1, H, W); a pixel is hair where the value is above 0.5
     * @param requestedRgb the requested colour, 0xRRGGBB
     * @return ΔE00, or NaN when the mask has no hair pixel
     */
    public static double hairColorDeltaE(NDArray generated, NDArray labelOrMask, int requestedRgb) {
        Shape g = generated.getShape();
        if (g.dimension() != 3 || g.get(0) != 3) {
            throw new IllegalArgumentException("hair colour: generated image must be (3, H, W), got " + g);
        }
        int h = (int) g.get(1);
        int w = (int) g.get(2);
        float[] rgb = generated.add(1f).div(2f).toType(DataType.FLOAT32, false).toFloatArray();
        return hairColorDeltaE(rgb, hairMask(labelOrMask, h, w), requestedRgb);
    }

    /** As {@link #hairColorDeltaE(NDArray, NDArray, int)} for an 8-bit image and a mask of W·H flags (row-major). */
    public static double hairColorDeltaE(BufferedImage generated, boolean[] hairMask, int requestedRgb) {
        if (hairMask.length != generated.getWidth() * generated.getHeight()) {
            throw new IllegalArgumentException("hair colour: mask has " + hairMask.length + " entries, image has "
                    + generated.getWidth() + "x" + generated.getHeight() + " pixels");
        }
        return hairColorDeltaE(ImageTensors.planar(generated), hairMask, requestedRgb);
    }

    private static double hairColorDeltaE(float[] planarRgb, boolean[] mask, int requestedRgb) {
        Lab hair = hairColor(planarRgb, mask);
        return hair == null ? Double.NaN : Ciede2000.deltaE(Lab.fromRgb(requestedRgb), hair);
    }

    /**
     * A robust colour of the masked pixels: each pixel to Lab, then the median of L*, a* and b*
     * separately — so dark outlines and specular highlights drawn on anime hair do not pull the
     * estimate the way a mean would. Null when no pixel is masked.
     *
     * @param planarRgb RGB in [0, 1], index c·H·W + y·W + x (values outside are clipped)
     * @param mask H·W flags
     */
    public static Lab hairColor(float[] planarRgb, boolean[] mask) {
        return medianColor(planarRgb, mask);
    }

    /** The per-channel Lab median of the masked pixels, as {@link #hairColor}; null when none is masked. */
    public static Lab medianColor(float[] planarRgb, boolean[] mask) {
        int plane = mask.length;
        if (planarRgb.length != 3 * plane) {
            throw new IllegalArgumentException("median colour: " + planarRgb.length + " RGB values for " + plane
                    + " mask entries");
        }
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        if (n == 0) {
            return null;
        }
        double[] l = new double[n];
        double[] a = new double[n];
        double[] b = new double[n];
        int k = 0;
        for (int i = 0; i < plane; i++) {
            if (mask[i]) {
                Lab lab = Lab.fromSrgb(clip(planarRgb[i]), clip(planarRgb[plane + i]), clip(planarRgb[2 * plane + i]));
                l[k] = lab.l();
                a[k] = lab.a();
                b[k] = lab.b();
                k++;
            }
        }
        return new Lab(Stats.median(l), Stats.median(a), Stats.median(b));
    }

    /**
     * The checkerboard energy of an image: the mean of |a − b − c + d| over every 2×2 window [[a, b], [c, d]]
     * and channel, in [0, 1] units. The filter answers fully to a one-pixel checkerboard (value 4·amplitude)
     * and not at all to flat areas, ramps or straight horizontal/vertical edges, so it measures the
     * period-2 texture that strided or up-sampled generators leave, against the same filter on real images
     * (whose diagonal edges and fine detail give it a floor).
     *
     * @param planarRgb RGB, index c·H·W + y·W + x
     */
    public static double checkerboard(float[] planarRgb, int height, int width) {
        return checkerboardSums(planarRgb, height, width)[0] / (3.0 * (height - 1) * (width - 1));
    }

    /**
     * The checkerboard ratio: Σ|a − b − c + d| over Σ(|a − b| + |a − c|), the {@link #checkerboard
     * checkerboard filter}'s response over the first differences of the same 2×2 windows. Unlike the energy
     * it does not grow with detail: 1 for a one-pixel checkerboard (and an aliased diagonal staircase), ≈ 0.71 for
     * white noise, 0 for flat
     * areas, ramps and straight edges (and for a flat image) — so a drawing blurrier than the real
     * images but with a period-2 pattern scores above them.
     */
    public static double checkerboardRatio(float[] planarRgb, int height, int width) {
        double[] sums = checkerboardSums(planarRgb, height, width);
        return sums[1] == 0 ? 0 : sums[0] / sums[1];
    }

    /** {Σ|a − b − c + d|, Σ(|a − b| + |a − c|)} over every 2×2 window [[a, b], [c, d]] and channel. */
    private static double[] checkerboardSums(float[] planarRgb, int height, int width) {
        if (planarRgb.length != 3 * height * width || height < 2 || width < 2) {
            throw new IllegalArgumentException("checkerboard: " + planarRgb.length + " values for 3 × " + height + " × "
                    + width + " (expected at least 2 × 2 pixels)");
        }
        double periodTwo = 0;
        double differences = 0;
        for (int c = 0; c < 3; c++) {
            int o = c * height * width;
            for (int y = 0; y + 1 < height; y++) {
                for (int x = 0; x + 1 < width; x++) {
                    int i = o + y * width + x;
                    float a = planarRgb[i];
                    float b = planarRgb[i + 1];
                    float cc = planarRgb[i + width];
                    periodTwo += Math.abs(a - b - cc + planarRgb[i + width + 1]);
                    differences += Math.abs(a - b) + Math.abs(a - cc);
                }
            }
        }
        return new double[] {periodTwo, differences};
    }

    /**
     * The background pixels (no label channel set) within {@code width} pixels of the image's edge, H·W
     * flags: where a generator's zero padding shows as a tinted frame.
     */
    public static boolean[] frameMask(LabelMap label, int width) {
        return backgroundMask(label, 0, width);
    }

    /**
     * The background pixels within {@code width} pixels (in x and y) of a pixel of {@code region}, H·W flags:
     * where a halo around that region (the hair) shows.
     */
    public static boolean[] backgroundRing(LabelMap label, boolean[] region, int width) {
        int w = label.width();
        int h = label.height();
        boolean[] rows = new boolean[w * h]; // region dilated along x, then along y
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int d = Math.max(0, x - width); d <= Math.min(w - 1, x + width) && !rows[y * w + x]; d++) {
                    rows[y * w + x] = region[y * w + d];
                }
            }
        }
        boolean[] ring = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean near = false;
                for (int d = Math.max(0, y - width); d <= Math.min(h - 1, y + width) && !near; d++) {
                    near = rows[d * w + x];
                }
                ring[y * w + x] = near && label.code(x, y) == LabelMap.BACKGROUND;
            }
        }
        return ring;
    }

    /** The background pixels whose distance to the image's edge is in [{@code from}, {@code to}), H·W flags. */
    public static boolean[] backgroundMask(LabelMap label, int from, int to) {
        int w = label.width();
        int h = label.height();
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int edge = Math.min(Math.min(x, y), Math.min(w - 1 - x, h - 1 - y));
                m[y * w + x] = edge >= from && edge < to && label.code(x, y) == LabelMap.BACKGROUND;
            }
        }
        return m;
    }

    private static boolean[] hairMask(NDArray labelOrMask, int h, int w) {
        Shape s = labelOrMask.getShape();
        NDArray mask;
        if (s.dimension() == 3 && s.get(0) == 4) {
            mask = labelOrMask.get(HAIR_CHANNEL);
        } else if (s.dimension() == 2 || (s.dimension() == 3 && s.get(0) == 1)) {
            mask = labelOrMask.reshape(s.get(s.dimension() - 2), s.get(s.dimension() - 1));
        } else {
            throw new IllegalArgumentException("hair colour: expected a label one-hot (4, H, W) or a mask (H, W), got " + s);
        }
        if (mask.getShape().get(0) != h || mask.getShape().get(1) != w) {
            throw new IllegalArgumentException("hair colour: mask " + mask.getShape() + " does not match the image's "
                    + h + "x" + w);
        }
        float[] v = mask.toType(DataType.FLOAT32, false).toFloatArray();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > 0.5f;
        }
        return out;
    }

    private static double clip(float v) {
        return Math.max(0, Math.min(1, v));
    }

    private static void requireSameImages(NDArray a, NDArray b) {
        Shape s = a.getShape();
        if (!s.equals(b.getShape()) || (s.dimension() != 3 && s.dimension() != 4)) {
            throw new IllegalArgumentException("expected two images of the same shape, (3, H, W) or (B, 3, H, W); got "
                    + s + " and " + b.getShape());
        }
    }
}
