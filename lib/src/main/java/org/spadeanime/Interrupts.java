package org.spadeanime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting without losing a Stop. A notebook's Stop interrupts the training thread, and the training
 * loop ends, with a checkpoint, when it sees that interrupt between iterations; code that waits on the
 * way there must therefore finish its wait and leave the interrupt pending, not swallow it or give up.
 */
public final class Interrupts {

    private Interrupts() {}

    /**
     * The result of {@code task}, also when the thread is interrupted while it waits (the work is
     * short, and giving up would leave the caller's step half done). The interrupt is pending again
     * afterwards.
     */
    public static <T> T await(Future<T> task) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
