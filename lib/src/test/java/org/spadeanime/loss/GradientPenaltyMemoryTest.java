package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.optim.Adam;

/**
 * Hundreds of full D steps (small D, hinge + R1 on real and fake through the TorchScript module,
 * one backward, Adam update): the managed-array count stays constant and RSS does not grow. The
 * JNI create-graph route this replaces leaked about 2 MB per step (field notes). The first 60
 * steps are warm-up (TorchScript's profiling executor optimises the module after a few calls).
 * It runs on one intra-op thread: these tiny ops gain nothing from two, and on a loaded machine
 * two spinning OpenMP threads made each step 30 times slower.
 */
class GradientPenaltyMemoryTest {

    private static final int WARM_UP = 60;
    private static final int STEPS = Integer.getInteger("gp.steps", 300);

    @Test
    void discriminatorStepsWithPenaltyDoNotLeak() throws IOException {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "needs Linux /proc for RSS");
        DjlRuntime.init();
        Engine.getInstance().setRandomSeed(3);
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try (NDManager manager = NDManager.newBaseManager();
             GradientPenalty gp = GradientPenalty.create(GradientPenalty.Form.R1, GradientPenalty.Target.REAL_FAKE, 10f);
             Adam adam = Adam.reference(manager, 2e-4)) {
            Fixtures fx = Fixtures.load("gradient_penalty.npz", manager);
            SmallDiscriminator d = new SmallDiscriminator(fx);
            ParameterList params = new ParameterList();
            for (String name : SmallDiscriminator.TRAINABLE) {
                params.add(name, Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(d.param(name)).build());
            }
            Shape image = new Shape(4, 3, 64, 64);
            NDArray label = manager.randomUniform(0f, 1f, new Shape(4, 4, 64, 64)).gt(0.7f).toType(DataType.FLOAT32, false);
            NDArray cond = manager.randomUniform(0f, 1f, image);
            int arrays = 0;
            long rss = 0;
            long start = 0;
            double penalty = 0;
            for (int i = 0; i < WARM_UP + STEPS; i++) {
                if (i == WARM_UP) {
                    arrays = manager.getManagedArrays().size();
                    rss = rssKb(status);
                    start = System.nanoTime();
                }
                if (i % 50 == 0) {
                    // Java garbage (array wrappers) otherwise touches fresh heap pages for ~1000
                    // steps and looks like growth; collecting keeps RSS a measure of native memory.
                    System.gc();
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray real = manager.randomUniform(-1f, 1f, image);
                    NDArray fake = manager.randomUniform(-1f, 1f, image);
                    real.setRequiresGradient(true);
                    fake.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList r = d.forward(label, real, cond);
                        NDList f = d.forward(label, fake, cond);
                        NDArray pr = gp.penalty(r.get(0), real);
                        NDArray loss = AdversarialLoss.HINGE.dLoss(r.get(0), f.get(0)).total()
                                .add(gp.term(pr, gp.penalty(f.get(0), fake)));
                        gc.backward(loss);
                        penalty = pr.getFloat();
                    }
                    adam.update(params);
                }
            }
            double msPerStep = (System.nanoTime() - start) / 1e6 / STEPS;
            long grown = rssKb(status) - rss;
            int arraysAfter = manager.getManagedArrays().size();
            System.out.printf("GP memory: %d steps, %.2f ms/step, managed arrays %d -> %d, RSS %d kB -> %+d kB, last R1 %.4f%n",
                    STEPS, msPerStep, arrays, arraysAfter, rss, grown, penalty);
            assertEquals(arrays, arraysAfter, "managed arrays after " + STEPS + " steps");
            assertTrue(grown < 24 * 1024, "RSS grew by " + grown + " kB over " + STEPS + " steps");
            assertTrue(Float.isFinite((float) penalty) && penalty > 0, "penalty " + penalty);
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static long rssKb(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in " + status);
    }
}
