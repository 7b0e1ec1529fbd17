package org.spadeanime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.loss.Fixtures;

/** Adam against torch.optim.Adam, exact state round trips, zeroed gradients, constant memory. */
class AdamTest {

    private static final List<String> NAMES = List.of("w", "b");

    @BeforeAll
    static void init() {
        DjlRuntime.init();
    }

    /** Parameters named w and b with the fixture's initial values, requiring gradients. */
    private static ParameterList parameters(Fixtures fx) {
        ParameterList list = new ParameterList();
        for (String name : NAMES) {
            NDArray array = fx.get("init_" + name).duplicate();
            array.setRequiresGradient(true);
            list.add(name, Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build());
        }
        return list;
    }

    /** Backpropagates Σ p·g_step so that each parameter's gradient is exactly the fixture's g. */
    private static void applyGradients(Fixtures fx, ParameterList params, int step) {
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray loss = null;
            for (String name : NAMES) {
                NDArray term = params.get(name).getArray().mul(fx.get("grads_" + name).get(step)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    /**
     * The fixture's schedule (lr 2e-4, then 1e-4 from the fourth step on); with a tag, compares the
     * parameters after every step with torch's and returns the largest relative error.
     */
    private static double run(Fixtures fx, Adam adam, ParameterList params, int from, int to, String tag) {
        double worst = 0;
        for (int s = from; s < to; s++) {
            adam.setLearningRate(s >= 3 ? 1e-4 : 2e-4);
            applyGradients(fx, params, s);
            adam.update(params);
            if (tag != null) {
                for (String name : NAMES) {
                    double err = Fixtures.relativeError(params.get(name).getArray(), fx.get(tag + "_after_" + name).get(s));
                    worst = Math.max(worst, err);
                    assertTrue(err < 2e-7, tag + " step " + (s + 1) + " " + name + ": relative error " + err);
                }
            }
        }
        return worst;
    }

    @Test
    void matchesTorchWithBeta1Zero() {
        matchesTorch("b0", 0, 0.9);
    }

    @Test
    void matchesTorchWithBeta1Half() {
        matchesTorch("b05", 0.5, 0.999);
    }

    private static void matchesTorch(String tag, double beta1, double beta2) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("adam.npz", manager);
            ParameterList params = parameters(fx);
            try (Adam adam = new Adam(manager, 2e-4, beta1, beta2, 1e-8)) {
                double worst = run(fx, adam, params, 0, 6, tag);
                System.out.printf("Adam %s: parameters over 6 steps, max rel. error %.2e%n", tag, worst);
                assertEquals(6, adam.step());
                for (String name : NAMES) {
                    NDArray[] mv = adam.moments(name);
                    double em = Fixtures.relativeError(mv[0], fx.get(tag + "_m_" + name));
                    double ev = Fixtures.relativeError(mv[1], fx.get(tag + "_v_" + name));
                    System.out.printf("Adam %s %s: m rel. error %.2e, v rel. error %.2e%n", tag, name, em, ev);
                    assertTrue(em < 1e-6 && ev < 1e-6, tag + " moments of " + name + ": " + em + ", " + ev);
                    assertEquals(0f, params.get(name).getArray().getGradient().abs().max().getFloat(),
                            "gradient zeroed after the update");
                }
            }
        }
    }

    @Test
    void zeroGradientsClearsWithoutUpdating() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("adam.npz", manager);
            ParameterList params = parameters(fx);
            applyGradients(fx, params, 0);
            applyGradients(fx, params, 0); // collectors accumulate: now 2 g
            NDArray w = params.get("w").getArray();
            assertArrayEquals(fx.get("grads_w").get(0).mul(2).toFloatArray(), w.getGradient().toFloatArray(), 1e-6f);
            float[] before = w.toFloatArray();
            Adam.zeroGradients(params);
            assertEquals(0f, w.getGradient().abs().max().getFloat());
            assertArrayEquals(before, w.toFloatArray());
        }
    }

    @Test
    void saveLoadContinueEqualsAnUninterruptedRunBitForBit(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("adam.npz", manager);
            ParameterList straight = parameters(fx);
            ParameterList resumed = parameters(fx);
            try (Adam a = new Adam(manager, 2e-4, 0.5, 0.9, 1e-8);
                 Adam b = new Adam(manager, 2e-4, 0.5, 0.9, 1e-8)) {
                run(fx, a, straight, 0, 6, null);

                run(fx, b, resumed, 0, 3, null);
                Path file = dir.resolve("adam.state");
                b.save(file);
                try (Adam c = new Adam(manager, 1, 0.5, 0.9, 1e-8)) {
                    c.load(file);
                    c.checkMatches(resumed, file.toString());
                    assertEquals(3, c.step());
                    assertEquals(2e-4, c.learningRate());
                    run(fx, c, resumed, 3, 6, null);
                    for (String name : NAMES) {
                        assertArrayEquals(straight.get(name).getArray().toFloatArray(),
                                resumed.get(name).getArray().toFloatArray(), name + " after resume");
                        assertArrayEquals(a.moments(name)[1].toFloatArray(), c.moments(name)[1].toFloatArray());
                        assertArrayEquals(a.moments(name)[0].toFloatArray(), c.moments(name)[0].toFloatArray());
                    }
                }
            }
        }
    }

    @Test
    void perStepTemporariesDoNotGrowAnyManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("adam.npz", manager);
            ParameterList params = parameters(fx);
            try (Adam adam = Adam.reference(manager, 1e-3)) {
                run(fx, adam, params, 0, 2, null); // creates the moments
                int before = countArrays(manager);
                for (int i = 0; i < 300; i++) {
                    applyGradients(fx, params, i % 6);
                    adam.update(params);
                }
                assertEquals(before, countArrays(manager), "managed arrays after 300 updates");
                assertEquals(302, adam.step());
            }
        }
    }

    /** Arrays of the manager and all its sub-managers (getManagedArrays recurses). */
    private static int countArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }

    @Test
    void mismatchedStateIsAClearError(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("adam.npz", manager);
            ParameterList params = parameters(fx);
            Path file = dir.resolve("adam.state");
            try (Adam adam = Adam.reference(manager, 1e-3)) {
                run(fx, adam, params, 0, 1, null);
                adam.save(file);
            }
            try (Adam other = new Adam(manager, 1e-3, 0.5, 0.9, 1e-8)) {
                IOException e = assertThrows(IOException.class, () -> other.load(file));
                assertTrue(e.getMessage().contains("beta1 0.0"), e.getMessage());
            }
            ParameterList wrong = new ParameterList();
            NDArray w = manager.zeros(new Shape(4, 3));
            w.setRequiresGradient(true);
            wrong.add("w", Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(w).build());
            try (Adam adam = Adam.reference(manager, 1e-3)) {
                adam.load(file);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.checkMatches(wrong, "ckpt"));
                assertTrue(e.getMessage().contains("(3, 4)"), e.getMessage());
            }
            byte[] bytes = Files.readAllBytes(file);
            Path cut = dir.resolve("cut.state");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 7));
            try (Adam adam = Adam.reference(manager, 1e-3)) {
                IOException e = assertThrows(IOException.class, () -> adam.load(cut));
                assertTrue(e.getMessage().contains("cut.state"), e.getMessage());
                assertEquals(0, adam.step(), "a failed load leaves the state untouched");
            }
            Path junk = dir.resolve("junk.state");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(junk))) {
                out.writeInt(42);
            }
            try (Adam adam = Adam.reference(manager, 1e-3)) {
                IOException e = assertThrows(IOException.class, () -> adam.load(junk));
                assertTrue(e.getMessage().contains("not an Adam state file"), e.getMessage());
            }
        }
    }
}
