package org.spadeanime.kernel;

/**
 * The stop flag that interrupts a running cell. {@link StopCheckWeaver} inserts a call to {@link #check()}
 * at the start of every method and before every backward jump of notebook code, so a busy loop in a cell
 * ends at its next iteration, between two statements, on any JDK (Thread.stop is gone since JDK 20).
 * One kernel runs per JVM, so the flag is global.
 */
public final class StopCheck {

    private static volatile boolean requested;

    private StopCheck() {}

    /**
     * Called by instrumented notebook code: throws {@link StopRequestedError} once per stop request, and
     * leaves the thread interrupted. Once, so that code on the way out (a {@code finally} that draws the
     * last frame, a training run's listener during its checkpoint) runs to its end; the interrupt tells
     * library code such as a training loop, which catches the error, that it was a stop. A cell that
     * swallows the error and goes on is stopped by a second request.
     */
    public static void check() {
        if (requested) {
            requested = false;
            Thread.currentThread().interrupt();
            throw new StopRequestedError();
        }
    }

    static void request() {
        requested = true;
    }

    static void clear() {
        requested = false;
    }

    static boolean isRequested() {
        return requested;
    }
}
