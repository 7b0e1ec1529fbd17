package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Where {@link NoiseInjection} gets its per-pixel N(0, 1) noise. */
@FunctionalInterface
public interface NoiseSource {

    /** A (B, 1, H, W) noise array created in (or attached to) {@code manager}. */
    NDArray sample(NDManager manager, Shape shape);

    /** The engine's RNG (seed it with {@code Engine.getInstance().setRandomSeed(seed)}). */
    static NoiseSource engine() {
        return (manager, shape) ->
                manager.randomNormal(0f, 1f, shape, DataType.FLOAT32, manager.getDevice());
    }

    /**
     * Hands out the given arrays in order, one per draw (copies, so the arrays stay with their
     * owner) — fixed noise for reproducing a reference. Draws are in forward order; in a SPADE
     * residual block: shortcut, then main 1, then main 2. Running out is an error.
     */
    static NoiseSource fixed(List<NDArray> draws) {
        Deque<NDArray> queue = new ArrayDeque<>(draws);
        return (manager, shape) -> {
            NDArray next = queue.poll();
            if (next == null) {
                throw new IllegalStateException("fixed noise: all " + draws.size()
                        + " draws are used up (next shape " + shape + ")");
            }
            if (!next.getShape().equals(shape)) {
                throw new IllegalArgumentException("fixed noise: draw " + (draws.size() - queue.size())
                        + " has shape " + next.getShape() + ", the layer needs " + shape);
            }
            NDArray copy = next.duplicate();
            copy.attach(manager);
            return copy;
        };
    }
}
