package org.spadeanime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ConfusionMatrix} against IoUs counted by hand. */
class ConfusionMatrixTest {

    //            truth:      0  0  0  1  1  2  2  2
    //            predicted:  0  0  1  1  1  2  0  2
    private static final int[] TRUTH = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 1, 1, 2, 0, 2};

    @Test
    void iouIsTruePositivesOverTheUnionPerClass() {
        ConfusionMatrix m = new ConfusionMatrix(4).add(TRUTH, PREDICTED);
        assertEquals(2.0 / 4, m.iou(0), 1e-12); // TP 2, truth 3, predicted 3 → union 4
        assertEquals(2.0 / 3, m.iou(1), 1e-12); // TP 2, truth 2, predicted 3
        assertEquals(2.0 / 3, m.iou(2), 1e-12); // TP 2, truth 3, predicted 2
        assertTrue(Double.isNaN(m.iou(3)), "a class in neither has no IoU");
        assertEquals((0.5 + 2.0 / 3 + 2.0 / 3) / 3, m.meanIoU(), 1e-12, "absent class 3 left out");
        assertEquals(6.0 / 8, m.pixelAccuracy(), 1e-12);
        assertEquals(8, m.total());
        assertEquals(1, m.count(2, 0));
    }

    @Test
    void matricesOfSeparateBatchesAddUpToOneOverAll() {
        ConfusionMatrix whole = new ConfusionMatrix(3).add(TRUTH, PREDICTED);
        ConfusionMatrix a = new ConfusionMatrix(3).add(new int[] {0, 0, 0, 1}, new int[] {0, 0, 1, 1});
        ConfusionMatrix b = new ConfusionMatrix(3).add(new int[] {1, 2, 2, 2}, new int[] {1, 2, 0, 2});
        assertEquals(whole.meanIoU(), a.add(b).meanIoU(), 0);
        assertEquals(whole.toString(), a.toString());
    }

    @Test
    void perfectPredictionScoresOneAndBadInputIsRefused() {
        ConfusionMatrix m = new ConfusionMatrix(3).add(TRUTH, TRUTH);
        assertEquals(1, m.meanIoU(), 0);
        assertEquals(1, m.pixelAccuracy(), 0);
        assertTrue(Double.isNaN(new ConfusionMatrix(3).meanIoU()));
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {3}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> m.add(new ConfusionMatrix(4)));
    }
}
