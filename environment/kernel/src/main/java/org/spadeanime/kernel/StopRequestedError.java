package org.spadeanime.kernel;

/**
 * Thrown inside notebook code when the user interrupts the cell. An Error, so that the usual
 * {@code catch (Exception e)} in a training loop does not swallow it.
 */
public final class StopRequestedError extends Error {

    private static final long serialVersionUID = 1L;

    StopRequestedError() {
        super("cell interrupted", null, false, false);
    }
}
