package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Golden arrays written by lib/src/test/python/make_loss_fixtures.py (npz files under
 * fixtures/loss/ on the test class path), and the comparisons the tests make against them.
 */
public final class Fixtures {

    private final NDList arrays;

    private Fixtures(NDList arrays) {
        this.arrays = arrays;
    }

    /** Loads fixtures/loss/{name} into {@code manager}. */
    public static Fixtures load(String name, NDManager manager) {
        String path = "/fixtures/loss/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is missing: run /usr/bin/python3 lib/src/test/python/make_loss_fixtures.py");
            return new Fixtures(NDList.decode(manager, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The array stored under {@code key}, as float32. */
    public NDArray get(String key) {
        NDArray a = arrays.get(key);
        assertNotNull(a, "fixture has no array '" + key + "'");
        return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    }

    /** max |value| over the stored arrays {@code prefix + name}. */
    public double maxAbs(String prefix, Iterable<String> names) {
        double m = 0;
        for (String name : names) {
            m = Math.max(m, get(prefix + name).abs().max().getFloat());
        }
        return m;
    }

    /** A stored scalar, in double precision. */
    public double scalar(String key) {
        NDArray a = arrays.get(key);
        assertNotNull(a, "fixture has no array '" + key + "'");
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    /** max |actual − expected| / max |expected| (expected all zero: the plain max |actual|). */
    public static double relativeError(NDArray actual, NDArray expected) {
        return relativeError(actual, expected, 0);
    }

    /**
     * max |actual − expected| / max(max |expected|, floor): the floor keeps arrays whose exact value
     * is zero (a conv bias before batch norm has a zero gradient) from dividing rounding noise by
     * rounding noise.
     */
    public static double relativeError(NDArray actual, NDArray expected, double floor) {
        assertEquals(expected.getShape(), actual.getShape(), "shape");
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        scale = Math.max(scale, floor);
        return scale == 0 ? diff : diff / scale;
    }
}
