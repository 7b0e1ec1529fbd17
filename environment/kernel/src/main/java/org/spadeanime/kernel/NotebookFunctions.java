package org.spadeanime.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Notebook functions of this kernel that JJava's BaseNotebookStatics lacks; every cell imports them
 * statically (see {@link CellEvaluator#STARTUP}). IJava and JJava have no clearOutput.
 */
public final class NotebookFunctions {

    private NotebookFunctions() {}

    /** Clears the running cell's output now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the running cell's output; with {@code wait}, when its next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        if (!(BaseKernel.notebookKernel() instanceof SpadeKernel kernel)) {
            throw new IllegalStateException("clearOutput needs the spade-java kernel");
        }
        kernel.clearOutput(wait);
    }
}
