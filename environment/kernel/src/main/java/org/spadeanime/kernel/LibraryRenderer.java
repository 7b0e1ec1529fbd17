package org.spadeanime.kernel;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * How to show objects of a library type that the kernel knows only by name. {@link NotebookRenderer}
 * registers it for the named class (or interface) once a value of that type is displayed.
 */
interface LibraryRenderer {

    /** The class or interface this renderer handles, e.g. "ai.djl.ndarray.NDArray". */
    String className();

    /** The MIME type it produces by default. */
    MIMEType preferredType();

    /**
     * Renders {@code value}; {@code type} is the class named by {@link #className()} as the value's class
     * loader sees it, the type to look methods up on.
     */
    void render(Class<?> type, Object value, RenderContext context);
}
