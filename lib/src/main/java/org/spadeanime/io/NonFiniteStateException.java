package org.spadeanime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Model state (a parameter, a buffer or an optimizer moment) holds NaN or infinity: it is neither
 * written nor read. The message names the file and the array.
 */
public final class NonFiniteStateException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String array;

    public NonFiniteStateException(Path file, String array, boolean writing) {
        this(file + ": " + array + " holds NaN or infinity; " + (writing
                ? "refusing to save poisoned state (nothing was written)"
                : "refusing to load poisoned state (a checkpoint written before the kit checked this?)"), file, array);
    }

    private NonFiniteStateException(String message, Path file, String array) {
        super(message);
        this.file = file;
        this.array = array;
    }

    /** The same with {@code context} appended (the step, the checkpoint that stays, what to do). */
    public NonFiniteStateException withContext(String context) {
        return new NonFiniteStateException(getMessage() + context, file, array);
    }

    /** The file that was (not) written or read. */
    public Path file() {
        return file;
    }

    /** The array's name, e.g. "parameter head.weight" or "Adam v of conv1.weight". */
    public String array() {
        return array;
    }
}
