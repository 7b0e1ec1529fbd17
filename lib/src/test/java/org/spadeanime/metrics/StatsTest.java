package org.spadeanime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddEvenAndEmptyLeavesItsArgument() {
        double[] v = {3, 1, 2};
        assertEquals(2, Stats.median(v));
        assertArrayEquals(new double[] {3, 1, 2}, v, "not sorted in place");
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }
}
