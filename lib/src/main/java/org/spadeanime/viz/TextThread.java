package org.spadeanime.viz;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.spadeanime.Interrupts;

/**
 * Where the kit draws text (chart legends and axes, captions). The JDK's font loader reads font
 * files through interruptible channels and, when an interrupt breaks a read, clears the interrupt
 * and retries (sun.font.TrueTypeFont): drawn on the training thread, a notebook's Stop that lands
 * while a checkpoint's loss chart is drawn is lost and the run trains on (measured:
 * ResumeTest#interruptsAtRandomMomentsAlwaysEndWithACheckpointOfTheStepReached). On a thread of
 * its own, the caller's interrupt is left alone.
 */
final class TextThread {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spade-text");
        t.setDaemon(true);
        return t;
    });
    private static final ThreadLocal<Boolean> ON_IT = ThreadLocal.withInitial(() -> false);

    private TextThread() {}

    /** Runs {@code drawing} on the text thread and returns its result (the caller's interrupt stays pending). */
    static <T> T call(Supplier<T> drawing) {
        if (ON_IT.get()) {
            return drawing.get();
        }
        try {
            return Interrupts.await(THREAD.submit(() -> {
                ON_IT.set(true);
                try {
                    return drawing.get();
                } finally {
                    ON_IT.set(false);
                }
            }));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** {@link #call} for drawing without a result. */
    static void run(Runnable drawing) {
        call(() -> {
            drawing.run();
            return null;
        });
    }
}
