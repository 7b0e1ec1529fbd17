package org.spadeanime.kernel;

import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A DJL NDArray as one line: shape, data type, device and, for numbers, min / max / mean — never a dump
 * of a million values. The statistics are computed by the engine on a float64 copy whose arrays are closed
 * at once, so showing a tensor does not grow its manager.
 */
final class NDArraySummary extends LibraryRenderer {

    NDArraySummary() {
        super("ai.djl.ndarray.NDArray", MIMEType.TEXT_PLAIN);
    }

    @Override
    void render(Class<?> ndArray, Object array, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> summary(ndArray, array));
    }

    static String summary(Class<?> ndArray, Object array) {
        StringBuilder b = new StringBuilder("NDArray");
        Object name = Reflect.call(ndArray, array, "getName");
        if (name != null) {
            b.append(" '").append(name).append('\'');
        }
        Object dataType = Reflect.call(ndArray, array, "getDataType");
        b.append(" shape=").append(Reflect.call(ndArray, array, "getShape"))
                .append(' ').append(dataType)
                .append(' ').append(Reflect.call(ndArray, array, "getDevice"));
        long size = (Long) Reflect.call(ndArray, array, "size");
        boolean numeric = (Boolean) Reflect.call(dataType.getClass(), dataType, "isFloating")
                || (Boolean) Reflect.call(dataType.getClass(), dataType, "isInteger");
        if (size > 0 && numeric) {
            Object float64 = enumConstant(dataType.getClass(), "FLOAT64");
            Object copy = Reflect.call(ndArray, array, "toType", float64, false);
            try {
                b.append(String.format(Locale.ROOT, " min=%.6g max=%.6g mean=%.6g",
                        scalar(ndArray, copy, "min"), scalar(ndArray, copy, "max"), scalar(ndArray, copy, "mean")));
            } finally {
                close(ndArray, copy);
            }
        }
        return b.toString();
    }

    private static double scalar(Class<?> ndArray, Object array, String reduction) {
        Object result = Reflect.call(ndArray, array, reduction);
        try {
            return ((double[]) Reflect.call(ndArray, result, "toDoubleArray"))[0];
        } finally {
            close(ndArray, result);
        }
    }

    private static void close(Class<?> ndArray, Object array) {
        Reflect.call(ndArray, array, "close");
    }

    private static Object enumConstant(Class<?> enumType, String name) {
        for (Object c : enumType.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException(enumType.getName() + " has no constant " + name);
    }
}
