package org.spadeanime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A user-supplied file that the kit cannot use: the message names the file and says what was
 * expected, so a researcher can fix the data rather than debug the loader.
 */
public class BadInputException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public BadInputException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BadInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file (or folder). */
    public Path file() {
        return file;
    }
}
