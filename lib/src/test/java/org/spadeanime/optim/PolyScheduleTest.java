package org.spadeanime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The reference's poly decay against values worked out by hand. */
class PolyScheduleTest {

    @Test
    void constantForFortyPercentThenPolyDecayCheckedEveryHundred() {
        PolySchedule d = new PolySchedule(2e-4, 1000); // threshold 400, decay span 600
        assertEquals(2e-4, d.rate(0));
        assertEquals(2e-4, d.rate(399));
        assertEquals(2e-4, d.rate(400)); // (1 - 0/600)^0.9 = 1
        assertEquals(2e-4, d.rate(499)); // last check at 400
        // check at 500: (1 - 100/600)^0.9 = (5/6)^0.9 = exp(0.9 ln 0.8333) = 0.848666 -> 1.697332e-4
        assertEquals(1.697332e-4, d.rate(500), 1e-10);
        assertEquals(1.697332e-4, d.rate(599), 1e-10);
        // check at 900: (1/6)^0.9 = exp(0.9 ln 0.16667) = 0.199372 -> 3.987437e-5
        assertEquals(3.987437e-5, d.rate(999), 1e-11);
        assertEquals(0.0, d.rate(1000));
        assertEquals(0.0, d.rate(5000));
    }

    @Test
    void referenceGeneratorRateAtSixtyPercent() {
        // G: 5e-5 over 100,000 iterations; at 60,000: (1 - 20000/60000)^0.9 = (2/3)^0.9 = 0.694253
        assertEquals(3.471266e-5, new PolySchedule(5e-5, 100_000).rate(60_050), 1e-11);
    }

    @Test
    void badSettingsAreRejectedClearly() {
        assertThrows(IllegalArgumentException.class, () -> new PolySchedule(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new PolySchedule(1e-4, 0));
        assertThrows(IllegalArgumentException.class, () -> new PolySchedule(1e-4, 10).rate(-1));
    }
}
