package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Golden fixtures written by lib/src/test/python/make_model_fixtures.py (PyTorch): loading, putting
 * their parameters into Java blocks, and comparing with a relative error
 * max|actual − expected| / max|expected| ≤ 1e-5.
 */
final class ModelFixtures {

    static final double TOLERANCE = 1e-5;

    /** Largest relative error seen per case, printed by the tests for the report. */
    static final Map<String, Double> MAX_ERRORS = new TreeMap<>();

    private ModelFixtures() {}

    /** All arrays of one case, named as in the .npz. */
    static NDList load(NDManager manager, String caseName) {
        String resource = "/fixtures/model/" + caseName + ".npz";
        try (InputStream in = ModelFixtures.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing fixture " + resource
                    + " (run /usr/bin/python3 lib/src/test/python/make_model_fixtures.py)");
            return NDList.decode(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NDArray get(NDList fixture, String name) {
        NDArray a = fixture.get(name);
        assertNotNull(a, "fixture has no array '" + name + "'");
        return a;
    }

    /** The case description of index.json (options of the network cases). */
    static JsonObject index(String caseName) {
        try (InputStream in = ModelFixtures.class.getResourceAsStream("/fixtures/model/index.json")) {
            assertNotNull(in, "missing fixtures/model/index.json");
            JsonObject all = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return caseName == null ? all : all.getAsJsonObject("cases").getAsJsonObject(caseName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelOptions options(String caseName) {
        return ModelOptions.fromJson(index(caseName).get("options").toString());
    }

    /**
     * Replaces every parameter of an initialised block by the fixture's "param.&lt;path&gt;" array.
     * Every parameter must be in the fixture with the same shape and every fixture parameter must
     * be used: the two architectures are the same.
     */
    static void assignParameters(Block block, NDList fixture) {
        Set<String> unused = new HashSet<>();
        for (NDArray a : fixture) {
            if (a.getName().startsWith("param.")) {
                unused.add(a.getName().substring(6));
            }
        }
        for (Map.Entry<String, Parameter> e : ModelSummary.parameters(block).entrySet()) {
            NDArray src = get(fixture, "param." + e.getKey());
            NDArray dst = e.getValue().getArray();
            assertEquals(dst.getShape(), src.getShape(), "shape of parameter " + e.getKey());
            dst.intern(src.duplicate());
            if (e.getValue().requiresGradient()) {
                dst.setRequiresGradient(true);
            }
            unused.remove(e.getKey());
        }
        assertTrue(unused.isEmpty(), "fixture parameters without a Java counterpart: " + unused);
    }

    /** The current value of a block's parameter by path. */
    static NDArray parameter(Block block, String path) {
        Parameter p = ModelSummary.parameters(block).get(path);
        assertNotNull(p, "no parameter " + path);
        return p.getArray();
    }

    static double relError(NDArray actual, NDArray expected) {
        assertEquals(expected.getShape(), actual.getShape(), "shape");
        float[] a = actual.toFloatArray();
        float[] b = expected.toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    /** Asserts relative error ≤ 1e-5 and records it under the case name. */
    static void assertClose(String caseName, String what, NDArray actual, NDArray expected) {
        double err = relError(actual, expected);
        MAX_ERRORS.merge(caseName, err, Math::max);
        assertTrue(err <= TOLERANCE, caseName + " " + what + ": relative error " + err + " > " + TOLERANCE);
    }

    static void assertClose(String caseName, String what, NDArray actual, NDList fixture, String name) {
        assertClose(caseName, what, actual, get(fixture, name));
    }

    /** The Python script's PatternNoise: draw i at (b, 0, y, x) = 1.5·sin(0.7x + 1.3y + 2.1b + 0.37(i+1)). */
    static NoiseSource patternNoise() {
        int[] draws = {0};
        return (manager, shape) -> {
            int i = draws[0]++;
            int b = (int) shape.get(0);
            int h = (int) shape.get(2);
            int w = (int) shape.get(3);
            float[] v = new float[b * h * w];
            for (int n = 0; n < b; n++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        v[(n * h + y) * w + x] =
                                (float) (1.5 * Math.sin(0.7 * x + 1.3 * y + 2.1 * n + 0.37 * (i + 1)));
                    }
                }
            }
            return manager.create(v, new Shape(b, 1, h, w));
        };
    }

    static void printErrors() {
        MAX_ERRORS.forEach((k, v) -> System.out.printf("fixture %-28s max relative error %.2e%n", k, v));
    }
}
