package org.spadeanime.kernel;

import java.awt.image.RenderedImage;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.InheritanceIterator;

/**
 * JJava's renderer (images as PNG, text) plus readable Java arrays and the {@link LibraryRenderer}s for
 * Tablesaw tables, XChart charts and DJL NDArrays. The kernel does not link against those libraries: a
 * library renderer is registered, by class name, the first time a value of that type is rendered, so the
 * kernel runs without them and renders their objects once a notebook has loaded them with %jars.
 */
final class NotebookRenderer extends Renderer {

    static final List<LibraryRenderer> LIBRARY_RENDERERS = List.of(new TablesawHtml(), new XChartPng(), new NDArraySummary());

    /** Per value class: its library renderers and array rendering are registered. */
    private final ClassValue<Boolean> prepared = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            prepare(type);
            return Boolean.TRUE;
        }
    };

    /** Per library class or interface (as its class loader sees it): its renderer is registered. */
    private final ClassValue<Boolean> libraryTypeRegistered = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> libraryType) {
            for (LibraryRenderer r : LIBRARY_RENDERERS) {
                if (r.className().equals(libraryType.getName())) {
                    createRegistration(libraryType).preferring(r.preferredType())
                            .register((value, context) -> renderOrExplain(r, libraryType, value, context));
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    };

    @Override
    public synchronized DisplayData render(Object value, Map<String, Object> params) {
        prepared.get(value.getClass());
        return super.render(value, params);
    }

    @Override
    public synchronized DisplayData renderAs(Object value, Map<String, Object> params, String... types) {
        prepared.get(value.getClass());
        return super.renderAs(value, params, types);
    }

    /**
     * A renderer that fails (a released NDArray, a library version with other methods) must not fail the
     * cell: the value is then shown as text that says why.
     */
    private static void renderOrExplain(LibraryRenderer r, Class<?> type, Object value, RenderContext context) {
        try {
            r.render(type, value, context);
        } catch (RuntimeException e) {
            DisplayData out = context.getOutputContainer();
            out.putText(value.getClass().getName() + " (not rendered: " + e + ")");
        }
    }

    private void prepare(Class<?> type) {
        if (type.isArray()) {
            createRegistration(type).preferring(MIMEType.TEXT_PLAIN)
                    .register((array, context) -> context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> ArrayText.of(array)));
            return;
        }
        // Registered for the value's own class, which the renderer tries before JJava's RenderedImage one.
        if (RenderedImage.class.isAssignableFrom(type)) {
            createRegistration(type).preferring(MIMEType.IMAGE_PNG).supporting(MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF)
                    .register((image, context) -> ImageData.render((RenderedImage) image, context));
        } else if (InputStream.class.isAssignableFrom(type)) {
            createRegistration(type).preferring(MIMEType.IMAGE_PNG).supporting(MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF)
                    .register((in, context) -> ImageData.render((InputStream) in, context));
        }
        @SuppressWarnings({"rawtypes", "unchecked"}) // JJava's iterator yields raw Class objects
        Iterator<Class<?>> supertypes = (Iterator) new InheritanceIterator(type);
        supertypes.forEachRemaining(libraryTypeRegistered::get);
    }
}
