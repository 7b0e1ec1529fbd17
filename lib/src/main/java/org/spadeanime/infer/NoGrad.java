package org.spadeanime.infer;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A region without autograd ({@code torch.no_grad()}): forwards build no graph, which saves the
 * memory and time of recording it when the result is only read (G's output in a D step, tiles,
 * prediction). Grad mode is per thread in PyTorch, and a notebook's training cell may run on a
 * thread where it is on, so the previous mode is restored on close.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    /** Turns autograd off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
