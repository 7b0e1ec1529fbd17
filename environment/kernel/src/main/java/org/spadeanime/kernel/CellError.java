package org.spadeanime.kernel;

import java.util.List;

/**
 * Why a cell failed, as the notebook shows it: the exception's simple name and message become Jupyter's
 * ename/evalue, {@link #traceback()} the lines under them. Subclasses name the kinds of failure.
 */
public abstract class CellError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> traceback;

    CellError(String message, List<String> traceback) {
        super(message, null, false, false);
        this.traceback = List.copyOf(traceback);
    }

    /** The lines the notebook shows, without ANSI colours. */
    public List<String> traceback() {
        return traceback;
    }

    /** The code does not compile; the traceback shows the cell line with a caret under the error. */
    public static final class CompileError extends CellError {
        private static final long serialVersionUID = 1L;
        private final int line;

        CompileError(String message, int line, List<String> traceback) {
            super(message, traceback);
            this.line = line;
        }

        /** 1-based line in the cell. */
        public int line() {
            return line;
        }
    }

    /** Notebook code threw; the traceback lists the notebook frames first, then the library frames. */
    public static final class CellException extends CellError {
        private static final long serialVersionUID = 1L;
        private final String exceptionClass;

        CellException(String exceptionClass, String message, List<String> traceback) {
            super(message, traceback);
            this.exceptionClass = exceptionClass;
        }

        /** The class name of what the notebook code threw, e.g. java.lang.IllegalStateException. */
        public String exceptionClass() {
            return exceptionClass;
        }
    }

    /** The user interrupted the cell; the lines after the stopped snippet did not run. */
    public static final class CellInterrupted extends CellError {
        private static final long serialVersionUID = 1L;

        CellInterrupted(String message) {
            super(message, List.of(message));
        }
    }

    /** A magic line is unknown or its arguments are wrong (a glob that matches nothing, say). */
    public static final class MagicError extends CellError {
        private static final long serialVersionUID = 1L;

        MagicError(String message) {
            super(message, List.of(message));
        }
    }
}
