package org.spadeanime.kernel;

import java.lang.reflect.Array;

/**
 * Java arrays as text: {@code int[4] {1, 2, 3, 4}} instead of {@code [I@1b6d3586}; nested arrays
 * recursively, long ones cut after {@link #MAX_ELEMENTS} elements.
 */
final class ArrayText {

    static final int MAX_ELEMENTS = 100;

    private ArrayText() {}

    static String of(Object array) {
        StringBuilder b = new StringBuilder();
        append(b, array);
        return b.toString();
    }

    private static void append(StringBuilder b, Object array) {
        int n = Array.getLength(array);
        String type = array.getClass().getComponentType().getSimpleName();
        int bracket = type.indexOf('[');
        b.append(bracket < 0 ? type + "[" + n + "]" : type.substring(0, bracket) + "[" + n + "]" + type.substring(bracket));
        b.append(" {");
        for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
            if (i > 0) {
                b.append(", ");
            }
            Object e = Array.get(array, i);
            if (e != null && e.getClass().isArray()) {
                append(b, e);
            } else {
                b.append(e instanceof String ? "\"" + e + "\"" : String.valueOf(e));
            }
        }
        if (n > MAX_ELEMENTS) {
            b.append(", ... ").append(n - MAX_ELEMENTS).append(" more");
        }
        b.append('}');
    }
}
