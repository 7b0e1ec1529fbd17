package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The update rules of {@link Trainer}: where gradients go, determinism, per-step memory. */
public class TrainerTest {

    private static final TrainOptions OPTIONS = TrainOptions.tiny().with("batchSize", 2).with("perceptualCoef", 0);

    @Test
    void generatorStepWritesNoGradientIntoTheDiscriminator() throws IOException {
        try (Trainer t = new Trainer(OPTIONS)) {
            RandomFeed feed = new RandomFeed(OPTIONS.model(), 2, 7);
            try (NDManager m = t.manager().newSubManager()) {
                NDList b = feed.next(m);
                t.discriminatorStep(b.get(0), b.get(1), b.get(2));
                // G ran without autograd in the D step, and Adam zeroed D's gradients after its update.
                assertAllZeroGradients(t.generator(), "G after a D step");
                assertAllZeroGradients(t.discriminator(), "D after its own update");
            }
            List<float[]> dBefore = trainableValues(t.discriminator());
            List<float[]> gBefore = values(t.generator());
            try (NDManager m = t.manager().newSubManager()) {
                NDList b = feed.next(m);
                Trainer.GResult g = t.generatorStep(b.get(0), b.get(1), b.get(2));
                assertTrue(Double.isFinite(g.total()) && g.featureMatching() > 0, "G loss " + g);
            }
            assertAllZeroGradients(t.discriminator(), "D after a G step");
            List<float[]> dAfter = trainableValues(t.discriminator());
            for (int i = 0; i < dBefore.size(); i++) {
                assertArrayEquals(dBefore.get(i), dAfter.get(i), "D's trainable parameter " + i + " moved");
            }
            assertTrue(changed(gBefore, values(t.generator())), "the G step updated G");
            assertTrue(t.discriminator().getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT).allMatch(Parameter::requiresGradient),
                    "D's weights are trainable again after the G step");
        }
    }

    /**
     * The L1 term is λ·mean|G(x) − y| of the very fake the G step draws (noise and spectral norm off, so
     * a training forward before the step draws the same image), and enters G's total.
     */
    @Test
    void theL1TermIsTheWeightedMeanAbsoluteErrorOfTheStepsFake() throws IOException {
        TrainOptions o = OPTIONS.withModel(m -> m.withNoise(false).withSpectralNorm(false))
                .with(b -> b.l1Coef(5).fmCoef(0));
        try (Trainer t = new Trainer(o); NDManager m = t.manager().newSubManager()) {
            NDList b = new RandomFeed(o.model(), 2, 7).next(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray fake = t.generator().forward(ps, new NDList(b.get(0), b.get(1)), true).head();
            double expected = 5 * fake.sub(b.get(2)).abs().mean().getFloat();
            Trainer.GResult g = t.generatorStep(b.get(0), b.get(1), b.get(2));
            assertEquals(expected, g.l1(), 1e-5 * expected, "l1 " + g);
            assertEquals(g.adversarial() + g.l1(), g.total(), 1e-5, "total " + g);
            assertTrue(Double.isNaN(g.featureMatching()), "fm is off");
        }
        try (Trainer t = new Trainer(OPTIONS); NDManager m = t.manager().newSubManager()) {
            NDList b = new RandomFeed(OPTIONS.model(), 2, 7).next(m);
            assertTrue(Double.isNaN(t.generatorStep(b.get(0), b.get(1), b.get(2)).l1()), "off by default");
        }
    }

    /** The control for the test above: the same G loss without freezing does fill D's gradients. */
    @Test
    void withoutFreezingTheGeneratorLossWouldReachTheDiscriminator() throws IOException {
        try (Trainer t = new Trainer(OPTIONS); NDManager m = t.manager().newSubManager()) {
            NDList b = new RandomFeed(OPTIONS.model(), 2, 7).next(m);
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = t.generator().forward(ps, new NDList(b.get(0), b.get(1)), true).head();
                NDArray logits = t.discriminator().forward(ps, new NDList(b.get(0), fake, b.get(1)), true).head();
                gc.backward(logits.mean().neg());
            }
            double sum = 0;
            for (Pair<String, Parameter> p : t.discriminator().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    try (NDArray g = p.getValue().getArray().getGradient()) {
                        sum += g.abs().sum().getFloat();
                    }
                }
            }
            assertTrue(sum > 0, "an unfrozen D collects gradient from G's loss: " + sum);
        }
    }

    @Test
    void iterationsAreDeterministicAndKeepTheManagedArrayCount() throws IOException {
        List<float[]> first;
        List<StepMetrics> firstMetrics = new ArrayList<>();
        try (Trainer t = new Trainer(OPTIONS)) {
            RandomFeed feed = new RandomFeed(OPTIONS.model(), 2, 3);
            firstMetrics.add(t.iteration(feed, null));
            int arrays = t.manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                firstMetrics.add(t.iteration(feed, null));
                assertEquals(arrays, t.manager().getManagedArrays().size(), "managed arrays after iteration " + (i + 2));
            }
            assertEquals(4, t.step());
            first = values(t.generator());
            first.addAll(values(t.discriminator()));
        }
        try (Trainer t = new Trainer(OPTIONS)) {
            RandomFeed feed = new RandomFeed(OPTIONS.model(), 2, 3);
            for (int i = 0; i < 4; i++) {
                StepMetrics m = t.iteration(feed, null);
                StepMetrics f = firstMetrics.get(i);
                assertEquals(f.dTotal(), m.dTotal(), 0, "D total of iteration " + (i + 1));
                assertEquals(f.gTotal(), m.gTotal(), 0, "G total of iteration " + (i + 1));
            }
            List<float[]> second = values(t.generator());
            second.addAll(values(t.discriminator()));
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), second.get(i), "parameter " + i + " after the same 4 iterations");
            }
        }
    }

    @Test
    void roughUpdatesAndThePerceptualTermJoinTheIteration() throws Exception {
        Path vgg = Path.of(TrainerTest.class.getResource("/fixtures/loss/vgg16_tiny.safetensors").toURI());
        TrainOptions o = OPTIONS.with("vggWeights", vgg).with("perceptualCoef", 10);
        try (Trainer t = new Trainer(o)) {
            assertTrue(t.hasPerceptual());
            StepMetrics m = t.iteration(new RandomFeed(o.model(), 2, 1), new RandomFeed(o.model(), 2, 2));
            assertTrue(m.gPerceptual() > 0 && Double.isFinite(m.gPerceptual()), m.toString());
            assertEquals(m.gAdversarial() + m.gFeatureMatching() + m.gPerceptual(), m.gTotal(), 1e-5 * Math.abs(m.gTotal()));
            assertTrue(Double.isFinite(m.roughD()) && Double.isFinite(m.roughG()), m.toString());
            assertEquals(2, t.adamG().step(), "one G update on a normal and one on a rough batch");
            assertEquals(4, t.adamD().step(), "n_dis D updates on each");
        }
    }

    public static List<float[]> values(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static List<float[]> trainableValues(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static boolean changed(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static void assertAllZeroGradients(Block block, String what) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    float max = g.abs().max().getFloat();
                    assertEquals(0f, max, what + ": gradient of " + p.getKey());
                }
            }
        }
        assertFalse(block.getParameters().isEmpty());
    }
}
