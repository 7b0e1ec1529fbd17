package org.spadeanime.metrics;

import java.util.Arrays;

/** Order statistics shared by the metrics and the benchmarks. */
public final class Stats {

    private Stats() {}

    /** The median of {@code v} (NaN when empty); {@code v} is left as it is. */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
