package org.spadeanime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResampleTest {

    @Test
    void halvingAveragesBlocks() {
        float[] src = new float[2 * 4 * 4];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] out = Resample.planar(src, 2, 4, 4, 2, 2);
        // channel 0: block means of rows (0,1) / (2,3) and columns (0,1) / (2,3)
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f, 18.5f, 20.5f, 26.5f, 28.5f}, out, 1e-5f);
    }

    @Test
    void doublingIsBilinearWithHalfPixelCentres() {
        // torch.nn.functional.interpolate([[0, 4]], size=4, mode="linear", align_corners=False) = [0, 1, 3, 4]
        float[] out = Resample.planar(new float[] {0, 4}, 1, 2, 1, 4, 1);
        assertArrayEquals(new float[] {0, 1, 3, 4}, out, 1e-6f);
    }

    @Test
    void nonIntegerShrinkKeepsTheMeanAndConstants() {
        int sw = 10;
        float[] src = new float[sw * sw];
        double sum = 0;
        for (int i = 0; i < src.length; i++) {
            src[i] = (i * 37 % 11) / 10f;
            sum += src[i];
        }
        float[] out = Resample.planar(src, 1, sw, sw, 4, 4);
        double outSum = 0;
        for (float v : out) {
            outSum += v;
        }
        assertEquals(sum / src.length, outSum / out.length, 1e-5);
        float[] ones = new float[3 * 7 * 7];
        java.util.Arrays.fill(ones, 0.25f);
        for (float v : Resample.planar(ones, 3, 7, 7, 3, 5)) {
            assertEquals(0.25f, v, 1e-6f);
        }
        assertArrayEquals(src, Resample.planar(src, 1, sw, sw, sw, sw));
    }
}
