package org.spadeanime.kernel;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * How to show objects of a library type that the kernel knows only by name. {@link NotebookRenderer}
 * registers it for the named class (or interface) once a value of that type is displayed.
 */
abstract class LibraryRenderer {

    private final String className;
    private final MIMEType preferredType;

    /**
     * @param className the class or interface handled, e.g. "ai.djl.ndarray.NDArray"
     * @param preferredType the MIME type produced by default
     */
    LibraryRenderer(String className, MIMEType preferredType) {
        this.className = className;
        this.preferredType = preferredType;
    }

    final String className() {
        return className;
    }

    final MIMEType preferredType() {
        return preferredType;
    }

    /**
     * Renders {@code value}; {@code type} is the class named by {@link #className()} as the value's class
     * loader sees it, the type to look methods up on.
     */
    abstract void render(Class<?> type, Object value, RenderContext context);
}
