package org.spadeanime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Map;

/**
 * Whether model state is finite: the guard every writer and reader of weights, buffers and
 * optimizer moments applies, so a NaN or an infinity is never saved and never loaded.
 */
public final class Finite {

    private Finite() {}

    /**
     * The name of the first array in {@code arrays} holding a NaN or an infinity, or null when all
     * are finite. Temporaries are closed (the arrays may live in long-lived managers).
     */
    public static String firstNonFinite(Map<String, NDArray> arrays) {
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            if (!isFinite(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Whether every element of {@code a} is finite. */
    public static boolean isFinite(NDArray a) {
        if (a.isEmpty()) {
            return true;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // |x| summed in double: NaN or ±∞ anywhere makes the sum non-finite; finite float32
            // values cannot overflow a double sum
            return Double.isFinite(a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).abs().sum().getDouble());
        }
    }
}
