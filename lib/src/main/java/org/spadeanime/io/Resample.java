package org.spadeanime.io;

/**
 * Resizes planar float images (C, H, W), one axis at a time: area averaging when an axis shrinks
 * (each output pixel is the coverage-weighted mean of the source pixels under it, so thin ink lines
 * fade instead of vanishing), bilinear interpolation when it grows (half-pixel centres, edges
 * clamped: torch's {@code align_corners=False}). Label maps are resized by nearest neighbour instead
 * ({@link org.spadeanime.label.LabelMap#resized}), so they keep exact class colours.
 */
public final class Resample {

    private Resample() {}

    /** Source index range and weights of each output pixel along one axis. */
    private record Kernel(int[] start, float[][] weights) {}

    /** Resizes {@code src} (C × sh × sw, row-major planes) to C × dh × dw. */
    public static float[] planar(float[] src, int channels, int sw, int sh, int dw, int dh) {
        if (src.length != channels * sw * sh) {
            throw new IllegalArgumentException("expected " + channels + "×" + sh + "×" + sw + " values, got " + src.length);
        }
        if (sw == dw && sh == dh) {
            return src.clone();
        }
        Kernel kx = kernel(sw, dw);
        Kernel ky = kernel(sh, dh);
        float[] tmp = new float[channels * sh * dw];   // rows resized
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < sh; y++) {
                int in = (c * sh + y) * sw;
                int out = (c * sh + y) * dw;
                for (int x = 0; x < dw; x++) {
                    float[] w = kx.weights[x];
                    int s0 = kx.start[x];
                    float acc = 0;
                    for (int k = 0; k < w.length; k++) {
                        acc += w[k] * src[in + s0 + k];
                    }
                    tmp[out + x] = acc;
                }
            }
        }
        float[] dst = new float[channels * dh * dw];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < dh; y++) {
                float[] w = ky.weights[y];
                int s0 = ky.start[y];
                int out = (c * dh + y) * dw;
                for (int k = 0; k < w.length; k++) {
                    int in = (c * sh + s0 + k) * dw;
                    float wk = w[k];
                    for (int x = 0; x < dw; x++) {
                        dst[out + x] += wk * tmp[in + x];
                    }
                }
            }
        }
        return dst;
    }

    private static Kernel kernel(int src, int dst) {
        int[] start = new int[dst];
        float[][] weights = new float[dst][];
        double scale = src / (double) dst;
        for (int i = 0; i < dst; i++) {
            if (dst < src) {           // area: source interval [i·scale, (i+1)·scale)
                double lo = i * scale;
                double hi = Math.min(src, (i + 1) * scale);
                int j0 = (int) Math.floor(lo);
                int j1 = Math.min(src - 1, (int) Math.ceil(hi) - 1);
                float[] w = new float[j1 - j0 + 1];
                for (int j = j0; j <= j1; j++) {
                    w[j - j0] = (float) ((Math.min(hi, j + 1) - Math.max(lo, j)) / scale);
                }
                start[i] = j0;
                weights[i] = w;
            } else if (dst > src) {    // bilinear, half-pixel centres
                double x = Math.max(0, Math.min(src - 1, (i + 0.5) * scale - 0.5));
                int j0 = Math.min((int) Math.floor(x), src - 1);
                float t = (float) (x - j0);
                if (j0 + 1 < src && t > 0) {
                    start[i] = j0;
                    weights[i] = new float[] {1 - t, t};
                } else {
                    start[i] = j0;
                    weights[i] = new float[] {1};
                }
            } else {
                start[i] = i;
                weights[i] = new float[] {1};
            }
        }
        return new Kernel(start, weights);
    }
}
