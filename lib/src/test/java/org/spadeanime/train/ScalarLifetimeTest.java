package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.loss.AdversarialLoss;
import org.spadeanime.loss.FeatureMatching;
import org.spadeanime.loss.GradientPenalty;
import org.spadeanime.loss.PerceptualLoss;
import org.spadeanime.loss.Vgg;
import org.spadeanime.model.Resize;

/**
 * DJL's {@code x.mul(2f)} wraps the 2 in an array over a Java direct buffer and closes it at once,
 * while autograd keeps the scalar for backward; after a GC the buffer's memory is freed and reused,
 * and the gradient is garbage (measured: −7.9·10⁶ instead of 3). The same holds for arrays made
 * with {@code manager.create(float[])} and closed before backward (resize matrices). Every training
 * term must give the same gradient whether or not the JVM frees and reuses memory between the
 * forward and the backward pass.
 */
class ScalarLifetimeTest {

    @Test
    void theTrainingTermsKeepTheirScalarsAliveUntilBackward() {
        DjlRuntime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8));
            NDArray other = m.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8));
            try (GradientPenalty gp = GradientPenalty.create()) {
                check(x, "Trainer.times", a -> Trainer.times(a, 3.5));
                check(x, "hinge D total", a -> AdversarialLoss.HINGE.dLoss(a, other).total());
                check(x, "feature matching", a -> new FeatureMatching(10f).loss(new NDList(other), new NDList(a)));
                check(x, "gradient penalty weight", a -> gp.term(a.square().sum(), null));
                check(x, "bilinear resize", a -> Resize.bilinear(a, 16, 16).square());
            }
            try (Vgg vgg = Vgg.random(Vgg.Arch.VGG16, 16, 1, m)) {
                PerceptualLoss p = new PerceptualLoss(vgg, PerceptualLoss.Criterion.MAE, 10f);
                check(x, "perceptual", a -> p.loss(other, a));
            }
        }
    }

    private static void check(NDArray x, String what, Function<NDArray, NDArray> f) {
        float[] clean = gradient(x, f, false);
        float[] churned = gradient(x, f, true);
        assertEquals(clean.length, churned.length);
        assertArrayEquals(clean, churned, what + ": the gradient changed when memory was freed and reused");
    }

    private static float[] gradient(NDArray x0, Function<NDArray, NDArray> f, boolean churn) {
        try (NDManager m = x0.getManager().newSubManager()) {
            NDArray x = x0.duplicate();
            x.attach(m);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y;
                try (NDManager step = m.newSubManager()) {
                    y = f.apply(x).sum();
                    y.attach(m);
                } // closes the step's temporaries, as the model blocks' scopes do
                if (churn) {
                    churn();
                }
                gc.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Lets the JVM free closed arrays' Java buffers, then reuses that memory with junk. */
    private static void churn() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 8));
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
            junk.add(b);
        }
    }
}
