package org.spadeanime.model;

/**
 * The attention weights of one {@link SelfAttention} forward, copied out for plots. With N = H·W
 * positions, {@code a[b, i, j]} is how much output position j takes from position i (the original
 * normalises over i, so each output position's weights sum to 1).
 *
 * @param height rows of the feature map the block ran on
 * @param width columns of it
 * @param batch samples in the forward
 * @param weights a as (B, N, N) float32, row-major
 */
public record AttentionMap(int height, int width, int batch, float[] weights) {

    public AttentionMap {
        long n = (long) height * width;
        if (weights.length != batch * n * n) {
            throw new IllegalArgumentException("attention map: " + weights.length + " weights for batch " + batch
                    + " and " + height + "×" + width + " positions; expected B·N² = " + batch * n * n);
        }
    }

    /**
     * Where output pixel (x, y) of sample {@code sample} looks: its weights over every input
     * position, as an (H × W) row-major field that sums to 1.
     */
    public float[] sourcesOf(int sample, int x, int y) {
        if (sample < 0 || sample >= batch || x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("attention map of " + batch + " sample(s) at " + width + "×" + height
                    + ": no pixel (" + x + ", " + y + ") in sample " + sample);
        }
        int n = height * width;
        int j = y * width + x;
        float[] out = new float[n];
        long base = (long) sample * n * n;
        for (int i = 0; i < n; i++) {
            out[i] = weights[(int) (base + (long) i * n + j)];
        }
        return out;
    }
}
