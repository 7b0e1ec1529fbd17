package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.SpadeGenerator;

/** The generator's moving average: its arithmetic, ramp-up, buffers, memory and save/load. */
class GeneratorEmaTest {

    @TempDir
    Path tmp;

    @Test
    void betaRampsUpToTheDecay() {
        try (NDManager m = NDManager.newBaseManager(); GeneratorEma ema = new GeneratorEma(generator(m), 0.999, m)) {
            assertEquals(0.1, ema.beta(0), 1e-12, "(1 + 0) / (10 + 0)");
            assertEquals(11.0 / 20, ema.beta(10), 1e-12);
            assertEquals(0.999, ema.beta(1_000_000), 1e-12, "capped at the decay");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator g = generator(m);
            assertThrows(IllegalArgumentException.class, () -> new GeneratorEma(g, 1.0, m));
            assertThrows(IllegalArgumentException.class, () -> new GeneratorEma(g, 0, m));
        }
    }

    @Test
    void anUpdateAveragesTrainedParametersAndCopiesBuffers() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator raw = generator(m);
            try (GeneratorEma ema = new GeneratorEma(raw, 0.9, m)) {
                List<float[]> start = TrainerTest.values(ema.generator());
                assertEquals(TrainerTest.values(raw).size(), start.size());
                for (int i = 0; i < start.size(); i++) {
                    assertArrayEquals(TrainerTest.values(raw).get(i), start.get(i), "a copy at first: " + i);
                }
                // Move every raw value (parameters and buffers) by +1.
                for (Pair<String, Parameter> p : raw.getParameters()) {
                    p.getValue().getArray().addi(1f);
                }
                long completed = 1000; // β = 0.9
                ema.update(raw, completed);
                PairList<String, Parameter> live = raw.getParameters();
                PairList<String, Parameter> avg = ema.generator().getParameters();
                int trained = 0;
                for (int i = 0; i < live.size(); i++) {
                    Parameter p = live.get(i).getValue();
                    float[] after = avg.get(i).getValue().getArray().toFloatArray();
                    float[] expected = start.get(i).clone();
                    for (int k = 0; k < expected.length; k++) {
                        // trained: 0.9·θ̄ + 0.1·(θ̄ + 1) = θ̄ + 0.1; buffers: the raw value θ̄ + 1
                        expected[k] += p.requiresGradient() ? 0.1f : 1f;
                    }
                    trained += p.requiresGradient() ? 1 : 0;
                    assertArrayEquals(expected, after, 1e-5f, live.get(i).getKey());
                }
                assertTrue(trained > 10 && trained < live.size(), "both kinds were checked: " + trained);
            }
        }
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator raw = generator(m);
            try (GeneratorEma ema = new GeneratorEma(raw, 0.999, m)) {
                ema.update(raw, 0);
                int before = m.getManagedArrays().size();
                for (int i = 1; i <= 200; i++) {
                    ema.update(raw, i);
                }
                assertEquals(before, m.getManagedArrays().size(), "managed arrays after 200 updates");
            }
        }
    }

    @Test
    void saveAndLoadRoundTripExactly() throws IOException {
        Path file = tmp.resolve("ema.ckpt");
        List<float[]> saved;
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator raw = generator(m);
            try (GeneratorEma ema = new GeneratorEma(raw, 0.99, m)) {
                for (Pair<String, Parameter> p : raw.getParameters()) {
                    p.getValue().getArray().muli(0.5f);
                }
                ema.update(raw, 5);
                ema.save(file);
                saved = TrainerTest.values(ema.generator());
                assertNotEquals(0, saved.size());
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            try (GeneratorEma other = new GeneratorEma(generator(m), 0.99, m)) {
                other.load(file);
                List<float[]> loaded = TrainerTest.values(other.generator());
                for (int i = 0; i < saved.size(); i++) {
                    assertArrayEquals(saved.get(i), loaded.get(i), "value " + i);
                }
            }
        }
    }

    private static SpadeGenerator generator(NDManager m) {
        SpadeGenerator g = new SpadeGenerator(ModelOptions.tiny());
        g.initialize(m);
        return g;
    }
}
