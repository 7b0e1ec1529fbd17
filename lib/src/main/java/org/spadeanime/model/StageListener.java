package org.spadeanime.model;

import ai.djl.ndarray.NDArray;

/**
 * Sees the output of every stage of a generator or discriminator forward, in order (for shape
 * tables, feature-map plots and tests). The array is valid only during the call.
 */
@FunctionalInterface
public interface StageListener {

    /**
     * @param stage the stage's name, e.g. {@code "w1"}, {@code "head"}, {@code "r3"}, {@code
     *     "up3"}, {@code "feature2"}, {@code "logits"}
     * @param output its output
     */
    void onStage(String stage, NDArray output);
}
