package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder sees every stage of a generator forward, with the output's true statistics. */
class StageRecorderTest extends EngineTestBase {

    @Test
    void recordsNamesShapesAndStatistics() {
        ModelOptions o = ModelOptions.tiny();
        SpadeGenerator g = new SpadeGenerator(o);
        g.initialize(manager);
        StageRecorder rec = new StageRecorder();
        g.setStageListener(rec);
        Shape[] in = g.inputShapes(1);
        NDArray image = g.forward(ps, new NDList(manager.randomUniform(0f, 1f, in[0]), manager.randomUniform(0f, 1f, in[1])),
                false).head();
        List<StageRecorder.Stage> stages = rec.stages();
        List<String> names = stages.stream().map(StageRecorder.Stage::name).toList();
        assertEquals(List.of("w1", "w2", "head", "r1", "up1", "r2", "up2", "r3", "up3", "r4", "up4", "r5", "to_img",
                "image"), names);
        StageRecorder.Stage last = stages.get(stages.size() - 1);
        assertEquals(image.getShape(), last.shape());
        float[] v = image.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x / (double) v.length;
        }
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean) / v.length;
        }
        assertEquals(mean, last.mean(), 1e-6);
        assertEquals(Math.sqrt(var), last.std(), 1e-6);
        assertEquals(image.min().getFloat(), last.min(), 0);
        assertEquals(image.max().getFloat(), last.max(), 0);
        rec.clear();
        assertEquals(0, rec.stages().size());
    }
}
