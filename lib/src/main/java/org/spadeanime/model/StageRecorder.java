package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StageListener} that keeps, for every stage of a forward, its name, output shape and the
 * statistics of its values: the table of shapes through a network, and how the scale of the
 * activations evolves. Set it with {@code network.setStageListener(recorder)}; each forward appends.
 */
public final class StageRecorder implements StageListener {

    /** One stage's output: shape and mean, standard deviation, min and max of its values. */
    public record Stage(String name, Shape shape, double mean, double std, double min, double max) {}

    private final List<Stage> stages = new ArrayList<>();

    @Override
    public void onStage(String stage, NDArray output) {
        float[] v = output.toType(DataType.FLOAT32, false).toFloatArray();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) {
            sq += (x - mean) * (x - mean);
        }
        stages.add(new Stage(stage, output.getShape(), mean, Math.sqrt(sq / v.length), min, max));
    }

    /** The stages seen so far, in forward order. */
    public List<Stage> stages() {
        return List.copyOf(stages);
    }

    /** Forgets the stages seen so far. */
    public void clear() {
        stages.clear();
    }
}
