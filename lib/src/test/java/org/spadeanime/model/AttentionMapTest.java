package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention weights a self-attention block hands out, and where one pixel looks. */
class AttentionMapTest extends EngineTestBase {

    @Test
    void eachOutputPixelsWeightsSumToOne() {
        SelfAttention att = new SelfAttention(16, 2, true);
        att.initialize(manager, DataType.FLOAT32, new Shape(2, 16, 5, 6));
        List<AttentionMap> seen = new ArrayList<>();
        att.setAttentionListener(seen::add);
        att.forward(ps, new NDList(manager.randomNormal(new Shape(2, 16, 5, 6))), true);
        assertEquals(1, seen.size());
        AttentionMap map = seen.get(0);
        assertEquals(5, map.height());
        assertEquals(6, map.width());
        assertEquals(2, map.batch());
        for (int b = 0; b < 2; b++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 6; x++) {
                    float[] w = map.sourcesOf(b, x, y);
                    assertEquals(30, w.length);
                    double sum = 0;
                    for (float v : w) {
                        sum += v;
                    }
                    // normalised over the source index (the original's softmax axis 1), not the output index
                    assertEquals(1.0, sum, 1e-5, "sample " + b + " pixel (" + x + ", " + y + ")");
                }
            }
        }
        assertEquals(0f, att.gamma());
        assertThrows(IndexOutOfBoundsException.class, () -> map.sourcesOf(0, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new AttentionMap(2, 2, 1, new float[15]));
    }

    @Test
    void aUniformInputAttendsUniformly() {
        SelfAttention att = new SelfAttention(8, 2, false);
        att.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 3, 3));
        AttentionMap[] seen = new AttentionMap[1];
        att.setAttentionListener(m -> seen[0] = m);
        NDArray x = manager.randomNormal(new Shape(1, 8, 1, 1)).repeat(2, 3).repeat(3, 3);
        att.forward(ps, new NDList(x), false);
        for (float v : seen[0].sourcesOf(0, 2, 1)) {
            assertEquals(1 / 9f, v, 1e-6f);
        }
    }

    @Test
    void theDiscriminatorsAttentionRunsAtAnEighthOfTheImage() {
        ModelOptions o = ModelOptions.tiny();
        PatchDiscriminator d = new PatchDiscriminator(o);
        d.initialize(manager);
        AttentionMap[] seen = new AttentionMap[1];
        d.selfAttention().setAttentionListener(m -> seen[0] = m);
        Shape[] in = d.inputShapes(1);
        d.forward(ps, new NDList(manager.zeros(in[0]), manager.randomNormal(in[1]), manager.zeros(in[2])), false);
        assertNotNull(seen[0]);
        assertEquals(o.resolution() / 8, seen[0].height());
        assertEquals(o.resolution() / 8, seen[0].width());
        d.selfAttention().setAttentionListener(null);
    }
}
