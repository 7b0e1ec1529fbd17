package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.NonFiniteStateException;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.model.ModelSummary;
import org.spadeanime.model.SpadeNetwork;
import org.spadeanime.optim.Adam;

/**
 * Nothing poisoned is ever saved or loaded: NaN gradients behind a finite loss, NaN buffers, NaN
 * moments, bounded skipping, a diverging loss, and the advice a stopped run gives.
 */
class PoisonedStateTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void synth() throws IOException {
        data = TestRuns.synthetic(tmp.resolve("synthetic"));
    }

    /** Multiplies the gradient of the network's first trained parameter by NaN (what a broken kernel does). */
    private static void poisonGradient(SpadeNetwork net) {
        Parameter p = net.trainedParameters().iterator().next();
        try (NDArray g = p.getArray().getGradient()) {
            g.muli(Float.NaN);
        }
    }

    /** The trained parameters' values (nanPolicy stop leaves buffers as the failed forward moved them). */
    private static List<float[]> weights(SpadeNetwork net) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : net.trainedParameters()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void aNaNGradientBehindAFiniteLossStopsTheRunBeforeAnyUpdateAndNamesTheCauses() throws IOException {
        Path run = tmp.resolve("nan-gradient");
        NonFiniteLossException e;
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(2);
            List<float[]> before = weights(r.trainer().discriminator());
            r.trainer().gradientFault = PoisonedStateTest::poisonGradient;
            e = assertThrows(NonFiniteLossException.class, () -> r.train(2));
            assertEquals(2, r.step(), "the failed iteration did not count");
            List<float[]> after = weights(r.trainer().discriminator());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "D weight " + i + " untouched");
            }
        }
        String m = e.getMessage();
        System.out.println(m);
        assertTrue(m.startsWith("the gradients of D are NaN or infinite at step 3 although its loss was finite"), m);
        int doctor = m.indexOf("spade-anime doctor");
        int rates = m.indexOf("learning rates");
        assertTrue(doctor > 0 && rates > doctor, "the machine's numerics first, then learning rates: " + m);
        assertTrue(m.contains("a preset's values, an unlikely cause at step 3"), m);
        RunFolder f = new RunFolder(run);
        assertEquals(f.checkpoint(2), f.latest(), "nothing written after the NaN");
    }

    @Test
    void skippingNaNGradientsLeavesTheWeightsAndGivesUpAfterTenIterationsInARow() throws IOException {
        List<String> messages = new ArrayList<>();
        try (Trainer t = new Trainer(TestRuns.quick(data).with("nanPolicy", "skip"), messages::add)) {
            RandomFeed feed = new RandomFeed(t.options().model(), 2, 3);
            t.iteration(feed, null);
            List<float[]> before = TrainerTest.values(t.generator());
            long adamG = t.adamG().step();
            t.gradientFault = PoisonedStateTest::poisonGradient;
            for (int i = 1; i < Trainer.MAX_CONSECUTIVE_SKIPS; i++) {
                assertTrue(t.iteration(feed, null).skipped() > 0);
            }
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.iteration(feed, null));
            assertTrue(e.getMessage().startsWith("10 iterations in a row up to step 11 skipped updates"), e.getMessage());
            List<float[]> after = TrainerTest.values(t.generator());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "G parameter or buffer " + i + " untouched by skips");
            }
            assertEquals(adamG, t.adamG().step(), "no Adam update from a NaN gradient");
            assertTrue(Adam.gradientsFinite(t.generator().getParameters()), "the poisoned gradients were zeroed");
            t.gradientFault = null;
            assertEquals(0, t.iteration(feed, null).skipped(), "clean gradients train again");
        }
        assertTrue(messages.stream().anyMatch(s -> s.contains("skipped an update (nanPolicy skip): the gradients of")),
                messages.toString());
    }

    @Test
    void aNaNBufferIsNeverSavedAndThePreviousCheckpointStays() throws IOException {
        Path run = tmp.resolve("nan-buffer");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(2);
            // a batch-norm running mean: training forwards use batch statistics, so the loss stays finite
            Map.Entry<String, Parameter> stat = ModelSummary.parameters(r.trainer().generator()).entrySet().stream()
                    .filter(p -> p.getKey().endsWith("runningMean")).findFirst().orElseThrow();
            stat.getValue().getArray().muli(Float.NaN);
            NonFiniteStateException e = assertThrows(NonFiniteStateException.class, () -> r.train(2));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().contains("generator.ckpt: parameter " + stat.getKey() + " holds NaN or infinity; "
                    + "refusing to save poisoned state (nothing was written) after step 4"), e.getMessage());
            assertTrue(e.getMessage().contains("spade-anime doctor"), e.getMessage());
        }
        RunFolder f = new RunFolder(run);
        assertEquals(List.of(f.checkpoint(2)), f.checkpoints(), "no half-written or poisoned checkpoint");
        assertEquals(f.checkpoint(2), f.latest());
        assertEquals(0, f.deleteLeftovers(), "no temporary folder left");
    }

    @Test
    void poisonedFilesAreRefusedByEveryReader() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator g = new SpadeGenerator(TestRuns.quick(data).model());
            g.initialize(m);
            Path clean = tmp.resolve("clean.ckpt");
            g.save(clean);
            g.getParameters().valueAt(0).getArray().muli(Float.NaN);
            Path refused = tmp.resolve("refused.ckpt");
            NonFiniteStateException e = assertThrows(NonFiniteStateException.class, () -> g.save(refused));
            assertFalse(Files.exists(refused), "nothing written");
            assertTrue(e.getMessage().startsWith(refused + ": parameter "), e.getMessage());
            // a poisoned file written without the check (as the kit did before): loading refuses it
            Path legacy = LegacyCheckpoints.writeUnchecked(tmp.resolve("legacy.ckpt"), g);
            e = assertThrows(NonFiniteStateException.class, () -> SpadeGenerator.load(legacy, m));
            assertTrue(e.getMessage().contains("refusing to load poisoned state"), e.getMessage());
            ModelCheckpoint.loadInto(clean, g);
            assertTrue(Adam.gradientsFinite(g.getParameters()));
        }
        try (NDManager m = NDManager.newBaseManager(); Adam adam = new Adam(m, 1e-3, 0, 0.9, 1e-8)) {
            NDArray w = m.ones(new ai.djl.ndarray.types.Shape(3));
            w.setRequiresGradient(true);
            ai.djl.nn.ParameterList list = new ai.djl.nn.ParameterList();
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(w);
            list.add("w", p);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(m.create(new float[] {1, Float.NaN, 2})).sum());
            }
            assertFalse(Adam.gradientsFinite(list));
            adam.update(list); // an unchecked update poisons the moments
            Path file = tmp.resolve("adam.bin");
            NonFiniteStateException e = assertThrows(NonFiniteStateException.class, () -> adam.save(file));
            assertTrue(e.getMessage().contains("Adam m of w holds NaN or infinity"), e.getMessage());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void aDivergingLossWarnsOnceNamingTheLearningRates() throws IOException {
        List<String> messages = new ArrayList<>();
        try (Trainer t = new Trainer(TestRuns.quick(data).with("lrD", 1e9).with("nanPolicy", "skip"), messages::add)) {
            RandomFeed feed = new RandomFeed(t.options().model(), 2, 4);
            for (int i = 0; i < 8; i++) {
                t.iteration(feed, null);
            }
        } catch (NonFiniteLossException e) {
            // it may also go NaN later; the warning must have come first
        }
        List<String> warnings = messages.stream().filter(s -> s.startsWith("warning: loss")).toList();
        System.out.println(warnings);
        assertEquals(1, warnings.size(), messages.toString());
        assertTrue(warnings.get(0).contains("training is diverging") && warnings.get(0).contains("lrD 1.0E9"),
                warnings.get(0));
    }
}
