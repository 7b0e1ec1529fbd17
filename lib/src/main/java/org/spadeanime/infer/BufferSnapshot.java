package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of a network's buffers — the persistent values that forwards change but the optimizer
 * does not: batch-norm running statistics and spectral-norm u, v (every parameter without
 * gradient). A training-mode forward updates them in place; {@link #restore()} puts the copied
 * values back, so such a forward leaves no trace (a skipped update, a tile drawn with batch
 * statistics).
 */
public final class BufferSnapshot implements AutoCloseable {

    private final List<NDArray> live = new ArrayList<>();
    private final List<NDArray> copies = new ArrayList<>();
    private final NDManager manager;

    /** Copies the buffers of {@code blocks} into a sub-manager of {@code parent}. */
    public BufferSnapshot(NDManager parent, Block... blocks) {
        manager = parent.newSubManager();
        for (Block block : blocks) {
            snapshot(block);
        }
    }

    private void snapshot(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient() && param.isInitialized()) {
                NDArray a = param.getArray();
                NDArray copy = a.duplicate();
                copy.attach(manager);
                live.add(a);
                copies.add(copy);
            }
        }
    }

    /** Writes the copied values back into the network's arrays. */
    public void restore() {
        try (NoGrad ng = NoGrad.enter()) {
            for (int i = 0; i < live.size(); i++) {
                copies.get(i).copyTo(live.get(i));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
