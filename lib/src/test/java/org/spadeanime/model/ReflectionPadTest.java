package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.infer.NoGrad;

/**
 * {@link ReflectionPad}: torch's reflection_pad2d (the TorchScript module) against the index gathers,
 * value (exactly) and gradient (to the last bit), and the gathers' indices by hand. Whole-block agreement with torch's own reflect
 * padding is {@code BlockFixturesTest}'s spectral_conv_reflect and generator_reflect.
 */
class ReflectionPadTest extends EngineTestBase {

    @Test
    void theModuleAndTheGathersAgreeInValueAndGradient() {
        for (int p : new int[] {1, 2, 4}) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 7, 9));
            NDArray r = manager.randomNormal(new Shape(2, 3, 7 + 2 * p, 9 + 2 * p));
            float[][] values = new float[2][];
            float[][] grads = new float[2][];
            for (int way = 0; way < 2; way++) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = way == 0 ? ReflectionPad.pad(leaf, p) : ReflectionPad.byGathers(leaf, p);
                    assertEquals(new Shape(2, 3, 7 + 2 * p, 9 + 2 * p), y.getShape());
                    values[way] = y.toFloatArray();
                    gc.backward(y.mul(r).sum());
                }
                grads[way] = leaf.getGradient().toFloatArray();
            }
            assertArrayEquals(values[1], values[0], 0f, "p " + p);
            // the pixels next to a border get two or more contributions, summed in another order: a last-bit difference
            assertArrayEquals(grads[1], grads[0], 1e-6f, "p " + p);
        }
    }

    @Test
    void underNoGradThePaddingBuildsNoGraph() {
        NDArray leaf = manager.randomNormal(new Shape(1, 2, 5, 5));
        leaf.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y;
            try (NoGrad off = NoGrad.enter()) {
                y = ReflectionPad.pad(leaf.mul(1f), 1);
            }
            // the leaf's own term keeps the loss differentiable; the padded part must add nothing
            gc.backward(y.sum().add(leaf.sum().mul(0f)));
        }
        assertEquals(0f, leaf.getGradient().abs().sum().getFloat(), 0f);
    }

    @Test
    void aSideNoLongerThanThePaddingFallsBackToTheGathers() {
        NDArray x = manager.arange(10f).reshape(1, 1, 2, 5);
        NDArray y = ReflectionPad.pad(x, 2); // torch refuses: a 2-pixel side cannot reflect 2
        assertArrayEquals(ReflectionPad.byGathers(x, 2).toFloatArray(), y.toFloatArray(), 0f);
        assertEquals(new Shape(1, 1, 6, 9), y.getShape());
    }

    /** The gathers' source indices, torch's rule, and the clamp where a side is too short to reflect. */
    @Test
    void reflectedIndices() {
        assertEquals(List.of(2L, 1L, 0L, 1L, 2L, 3L, 2L, 1L), box(ReflectionPad.reflectedIndex(4, 2)));
        assertEquals(List.of(1L, 0L, 1L, 0L), box(ReflectionPad.reflectedIndex(2, 1)));
        assertEquals(List.of(0L, 0L, 0L), box(ReflectionPad.reflectedIndex(1, 1)), "a 1-pixel side repeats");
        assertEquals(List.of(0L, 1L, 0L, 1L, 0L, 0L), box(ReflectionPad.reflectedIndex(2, 2)),
                "too short to reflect twice: folded and clamped");
    }

    private static List<Long> box(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
