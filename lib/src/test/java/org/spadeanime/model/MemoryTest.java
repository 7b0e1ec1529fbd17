package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;

/**
 * Memory discipline: training-mode forwards of G and D inside a per-step sub-manager leave no
 * arrays behind — not in the model's manager (ops on parameters) and not anywhere else in the
 * engine. Prints VmRSS before and after for the report.
 */
class MemoryTest {

    @Test
    void thousandTrainingForwardsKeepTheArrayCountConstant() throws IOException {
        DjlRuntime.init();
        ModelOptions o = ModelOptions.tiny();
        try (NDManager model = NDManager.newBaseManager()) {
            NDManager engine = model.getParentManager(); // the engine's root: sees every array
            ParameterStore ps = new ParameterStore(model, false);
            SpadeGenerator g = new SpadeGenerator(o);
            g.initialize(model);
            PatchDiscriminator d = new PatchDiscriminator(o);
            d.initialize(model);
            for (int i = 0; i < 20; i++) {
                step(model, ps, g, d, false); // warm-up
            }
            int modelArrays = model.getManagedArrays().size();
            int allArrays = engine.getManagedArrays().size();
            long rssBefore = rssKb();
            StringBuilder trace = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                step(model, ps, g, d, false);
                if (i % 100 == 99) {
                    assertEquals(modelArrays, model.getManagedArrays().size(), "model arrays after step " + i);
                    assertEquals(allArrays, engine.getManagedArrays().size(), "engine arrays after step " + i);
                }
                if (i % 250 == 249) {
                    trace.append(' ').append(rssKb() / 1024);
                }
            }
            long rssAfter = rssKb();
            System.out.println("MemoryTest: VmRSS MB after 250, 500, 750, 1000 forwards:" + trace);
            // With a gradient collector and backward (the graph references everything): still flat.
            for (int i = 0; i < 50; i++) {
                step(model, ps, g, d, true);
            }
            assertEquals(modelArrays, model.getManagedArrays().size(), "model arrays after backward steps");
            assertEquals(allArrays, engine.getManagedArrays().size(), "engine arrays after backward steps");
            System.out.printf("MemoryTest: %d model arrays, %d engine arrays constant over 1000 G+D training "
                    + "forwards (tiny, batch 1); VmRSS %d MB before, %d MB after, %d MB after 50 backward steps%n",
                    modelArrays, allArrays, rssBefore / 1024, rssAfter / 1024, rssKb() / 1024);
            // A per-step leak of this preset's activations would add gigabytes; allocator noise does not.
            assertTrue(rssAfter - rssBefore < 300 * 1024, "RSS grew by " + (rssAfter - rssBefore) / 1024 + " MB");
        }
    }

    @Test
    void aCallersNDScopeReleasesTheOutputs() {
        DjlRuntime.init();
        ModelOptions o = ModelOptions.tiny();
        try (NDManager model = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(model, false);
            SpadeGenerator g = new SpadeGenerator(o);
            g.initialize(model);
            PatchDiscriminator d = new PatchDiscriminator(o);
            d.initialize(model);
            Shape[] shapes = o.generatorInputShapes(1);
            NDArray label = model.randomUniform(0f, 1f, shapes[0]);
            NDArray condition = model.randomUniform(0f, 1f, shapes[1]);
            int before = model.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDScope scope = new NDScope()) {
                    // no sub-manager: inputs and outputs live in the model's manager
                    NDArray fake = g.forward(ps, new NDList(label, condition), true).head();
                    d.forward(ps, new NDList(label, fake, condition), true);
                    scope.suppressNotUsedWarning();
                }
            }
            assertEquals(before, model.getManagedArrays().size());
            assertTrue(!label.isReleased() && !condition.isReleased(), "inputs stay the caller's");
        }
    }

    private static void step(NDManager model, ParameterStore ps, SpadeGenerator g, PatchDiscriminator d,
            boolean backward) {
        ModelOptions o = g.options();
        try (NDManager step = model.newSubManager()) {
            Shape[] shapes = o.generatorInputShapes(1);
            NDArray label = step.randomUniform(0f, 1f, shapes[0]);
            NDArray condition = step.randomUniform(0f, 1f, shapes[1]);
            if (backward) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray fake = g.forward(ps, new NDList(label, condition), true).head();
                    gc.backward(d.forward(ps, new NDList(label, fake, condition), true).head().mean());
                }
            } else {
                NDArray fake = g.forward(ps, new NDList(label, condition), true).head();
                d.forward(ps, new NDList(label, fake, condition), true);
            }
        }
    }

    /**
     * VmRSS of this JVM in kB (0 where /proc is absent), after a full GC: without it the figure
     * is dominated by the Java heap growing lazily (NDArray wrappers are garbage), not by native
     * memory.
     */
    static long rssKb() throws IOException {
        System.gc();
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
