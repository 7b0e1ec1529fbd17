package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryAndCheckpointTest extends EngineTestBase {


    @Test
    void paperParameterCountsEqualThePyTorchReference() {
        JsonObject expected = ModelFixtures.index(null).getAsJsonObject("paper_parameters");
        for (SpadeNetwork net : new SpadeNetwork[] {
            new SpadeGenerator(ModelOptions.paper()), new PatchDiscriminator(ModelOptions.paper())}) {
            net.initialize(manager);
            ModelSummary s = net.summary();
            JsonObject counts = expected.getAsJsonObject(net.getClass().getSimpleName());
            System.out.println(s.table(1));
            assertEquals(counts.get("total").getAsLong(), s.total(), net.getClass().getSimpleName());
            for (ModelSummary.Row r : s.rows(1)) {
                if (r.depth() == 1) {
                    assertEquals(counts.get(r.path()).getAsLong(), r.parameters(), r.path());
                }
            }
            assertEquals(counts.size() - 1, s.rows(1).size() - 1, "same top-level blocks");
            net.clear();
        }
    }

    @Test
    void summaryRowsAddUp() {
        SpadeGenerator g = new SpadeGenerator(ModelOptions.tiny());
        assertThrows(IllegalStateException.class, g::summary);
        g.initialize(manager);
        ModelSummary s = g.summary();
        long top = s.rows(1).stream().filter(r -> r.depth() == 1).mapToLong(ModelSummary.Row::parameters).sum();
        assertEquals(s.total(), top);
        long all = 0;
        long buffers = 0;
        for (Parameter p : ModelSummary.parameters(g).values()) {
            if (p.requiresGradient()) {
                all += p.getArray().size();
            } else {
                buffers += p.getArray().size();
            }
        }
        assertEquals(all, s.total());
        assertEquals(buffers, s.totalBuffers());
        ModelSummary.Row conv = s.rows().stream().filter(r -> r.path().equals("r1.conv1")).findFirst().orElseThrow();
        assertEquals("SpectralConv2d", conv.type());
        assertEquals(64 * 64 * 9 + 64, conv.parameters());
        assertEquals(64 + 64 * 9, conv.buffers()); // u and v
        assertTrue(s.table(2).contains("r1.norm1"), s.table(2));
    }

    @Test
    void freezingKeepsGradientsOutOfTheFrozenNetworkOnly() {
        ModelOptions o = ModelOptions.tiny();
        SpadeGenerator g = new SpadeGenerator(o);
        g.initialize(manager);
        PatchDiscriminator d = new PatchDiscriminator(o);
        d.initialize(manager);
        long trained = d.summary().total();
        NDArray runningMean = ModelSummary.parameters(d).get("n2.runningMean").getArray();
        float[] meanBefore = runningMean.toFloatArray();
        d.setFrozen(true);
        assertEquals(trained, d.summary().total(), "the summary still counts frozen parameters as trained");
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList in = inputs(step, g);
            NDArray fake = g.forward(ps, in, true).head();
            gc.backward(d.forward(ps, new NDList(in.get(0), fake, in.get(1)), true).head().mean());
        }
        for (Parameter p : d.trainedParameters()) {
            assertTrue(!p.getArray().hasGradient(), "frozen " + p.getName() + " has a gradient");
        }
        NDArray gradient = ModelSummary.parameters(g).get("head.weight").getArray().getGradient();
        assertTrue(gradient.abs().sum().getFloat() > 0, "G's head received a gradient through frozen D");
        assertTrue(!java.util.Arrays.equals(meanBefore,
                ModelSummary.parameters(d).get("n2.runningMean").getArray().toFloatArray()),
                "BN statistics still update in a frozen training forward");
        d.setFrozen(false);
        for (Parameter p : d.trainedParameters()) {
            assertTrue(p.getArray().hasGradient(), p.getName() + " trainable again");
        }
        assertTrue(ModelSummary.parameters(d).values().stream()
                .filter(p -> !d.trainedParameters().contains(p))
                .noneMatch(p -> p.getArray().hasGradient()), "u, v and statistics stay without gradient");
    }

    @Test
    void saveAndLoadRoundTripWithSpectralVectorsAndStatistics(@TempDir Path dir) throws IOException {
        ModelOptions o = ModelOptions.tiny().withNoise(false);
        for (SpadeNetwork net : new SpadeNetwork[] {new SpadeGenerator(o), new PatchDiscriminator(o)}) {
            net.initialize(manager);
            trainingForward(net); // moves u, v and the running statistics away from their init
            Path file = dir.resolve(net.getClass().getSimpleName() + ".ckpt");
            net.save(file);
            assertEquals(o, ModelCheckpoint.readOptions(file));
            assertEquals(net.getClass().getSimpleName(), ModelCheckpoint.readKind(file));
            SpadeNetwork loaded = ModelCheckpoint.load(file, manager);
            assertEquals(net.getClass(), loaded.getClass());
            assertEquals(o, loaded.options());
            Map<String, Parameter> a = ModelSummary.parameters(net);
            Map<String, Parameter> b = ModelSummary.parameters(loaded);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k).getArray().toFloatArray(), b.get(k).getArray().toFloatArray(), k);
                assertEquals(a.get(k).requiresGradient(), b.get(k).getArray().hasGradient(), k + " gradient");
            }
            // the same function: identical eval outputs (no noise)
            try (NDManager step = manager.newSubManager()) {
                NDList in = inputs(step, net);
                NDList x = net.forward(ps, in, false);
                NDList y = loaded.forward(ps, in, false);
                for (int i = 0; i < x.size(); i++) {
                    assertArrayEquals(x.get(i).toFloatArray(), y.get(i).toFloatArray());
                }
            }
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
            }
        }
    }

    @Test
    void loadingAnotherArchitectureNamesTheFirstMismatchingParameter(@TempDir Path dir) throws IOException {
        SpadeGenerator small = new SpadeGenerator(ModelOptions.tiny());
        small.initialize(manager);
        Path file = dir.resolve("g.ckpt");
        small.save(file);
        SpadeGenerator wide = new SpadeGenerator(ModelOptions.tiny().withNgf(16));
        wide.initialize(manager);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wide.loadParameters(file));
        assertTrue(e.getMessage().contains("parameter head.weight has shape (64, 4, 3, 3) in the checkpoint but "
                + "(128, 4, 3, 3) in this model"), e.getMessage());
        assertTrue(e.getMessage().contains("ngf 8 (checkpoint) vs 16 (model)"), e.getMessage());

        SpadeGenerator noNoise = new SpadeGenerator(ModelOptions.tiny().withNoise(false));
        noNoise.initialize(manager);
        e = assertThrows(IllegalArgumentException.class, () -> noNoise.loadParameters(file));
        assertTrue(e.getMessage().contains("the checkpoint has r1.noise1.scale (1, 64, 1, 1), this model has "
                + "r1.norm1.norm.gamma (64)"), e.getMessage());

        PatchDiscriminator d = new PatchDiscriminator(ModelOptions.tiny());
        d.initialize(manager);
        e = assertThrows(IllegalArgumentException.class, () -> d.loadParameters(file));
        assertTrue(e.getMessage().contains("holds a SpadeGenerator, not a PatchDiscriminator"), e.getMessage());
    }

    @Test
    void damagedFilesAreClearErrors(@TempDir Path dir) throws IOException {
        SpadeGenerator g = new SpadeGenerator(ModelOptions.tiny());
        g.initialize(manager);
        Path file = dir.resolve("g.ckpt");
        g.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> g.loadParameters(cut));
        assertTrue(e.getMessage().contains("cut.ckpt"), e.getMessage());
        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "hello");
        e = assertThrows(IOException.class, () -> ModelCheckpoint.readOptions(junk));
        assertTrue(e.getMessage().contains("junk.ckpt") && e.getMessage().contains("not a spade-anime"), e.getMessage());
    }

    private void trainingForward(SpadeNetwork net) {
        try (NDManager step = manager.newSubManager()) {
            net.forward(ps, inputs(step, net), true);
        }
    }

    private static NDList inputs(NDManager m, SpadeNetwork net) {
        NDList in = new NDList();
        for (Shape s : net.inputShapes(2)) {
            in.add(m.randomUniform(0f, 1f, s));
        }
        return in;
    }

}
