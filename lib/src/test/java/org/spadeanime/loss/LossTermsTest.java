package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;

/** Adversarial terms and feature matching on hand-computed cases. */
class LossTermsTest {

    private static final float EPS = 1e-6f;

    @BeforeAll
    static void init() {
        DjlRuntime.init();
    }

    @Test
    void adversarialTermsMatchHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.create(new float[] {2f, 0.5f, -1f, 0f}, new Shape(1, 1, 2, 2));
            NDArray fake = m.create(new float[] {-2f, 0.5f, 1f, 0f}, new Shape(1, 1, 2, 2));
            // hinge: real relu(1 - r) = [0, .5, 2, 1] -> 0.875; fake relu(1 + f) = [0, 1.5, 2, 1] -> 1.125
            assertTerms(AdversarialLoss.HINGE.dLoss(real, fake), 0.875f, 1.125f, 1.0f);
            assertEquals(-(-2f + 0.5f + 1f + 0f) / 4, AdversarialLoss.HINGE.gLoss(fake).getFloat(), EPS);
            // MSE: real (r - 1)^2 = [1, .25, 4, 1] -> 1.5625; fake f^2 = [4, .25, 1, 0] -> 1.3125
            assertTerms(AdversarialLoss.MSE.dLoss(real, fake), 1.5625f, 1.3125f, 1.4375f);
            // G: (f - 1)^2 = [9, .25, 0, 1] -> 2.5625
            assertEquals(2.5625f, AdversarialLoss.MSE.gLoss(fake).getFloat(), EPS);
            // WGAN: real -mean(r) = -0.375, fake mean(f) = -0.125, total = sum
            assertTerms(AdversarialLoss.WGAN.dLoss(real, fake), -0.375f, -0.125f, -0.5f);
            assertEquals(0.125f, AdversarialLoss.WGAN.gLoss(fake).getFloat(), EPS);
            // BCE: softplus(x) = ln(1 + e^x)
            double realBce = (sp(-2) + sp(-0.5) + sp(1) + sp(0)) / 4;
            double fakeBce = (sp(-2) + sp(0.5) + sp(1) + sp(0)) / 4;
            assertTerms(AdversarialLoss.BCE.dLoss(real, fake), (float) realBce, (float) fakeBce, (float) ((realBce + fakeBce) / 2));
            assertEquals((sp(2) + sp(-0.5) + sp(-1) + sp(0)) / 4, AdversarialLoss.BCE.gLoss(fake).getFloat(), EPS);
        }
    }

    @Test
    void bceIsStableForLargeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray big = m.create(new float[] {200f, -200f});
            AdversarialLoss.DTerms t = AdversarialLoss.BCE.dLoss(big, big);
            assertEquals(100f, t.real().getFloat(), 1e-3f); // softplus(-200) = 0, softplus(200) = 200
            assertEquals(100f, t.fake().getFloat(), 1e-3f);
        }
    }

    private static double sp(double x) {
        return Math.log1p(Math.exp(x));
    }

    private static void assertTerms(AdversarialLoss.DTerms t, float real, float fake, float total) {
        assertEquals(real, t.real().getFloat(), EPS, "real term");
        assertEquals(fake, t.fake().getFloat(), EPS, "fake term");
        assertEquals(total, t.total().getFloat(), EPS, "total");
    }

    @Test
    void adversarialModeNamesParse() {
        assertEquals(AdversarialLoss.WGAN, GradientPenaltyTest.option(AdversarialLoss.class, " wgan "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientPenaltyTest.option(AdversarialLoss.class, "lsgan"));
        assertTrue(e.getMessage().contains("hinge, bce, mse, wgan"), e.getMessage());
    }

    @Test
    void featureMatchingIsTheWeightedMeanOfMeanAbsoluteDifferencesAndDetachesReal() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(1, 1, 2, 2));
            NDArray r1 = m.create(new float[] {1f, 2f, 3f, 4f}, new Shape(1, 1, 2, 2));
            NDArray f1 = m.create(new float[] {1f, 0f, 4f, 4f}, new Shape(1, 1, 2, 2)); // |diff| mean 0.75
            NDArray r2 = m.create(new float[] {0f, 0f}, new Shape(1, 2, 1, 1));
            NDArray f2 = m.create(new float[] {-1f, 3f}, new Shape(1, 2, 1, 1)); // mean 2
            r1.setRequiresGradient(true);
            f1.setRequiresGradient(true);
            FeatureMatching fm = new FeatureMatching(10f);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = fm.lossFromOutputs(new NDList(logits, r1, r2), new NDList(logits, f1, f2));
                gc.backward(loss);
            }
            assertEquals(10f * (0.75f + 2f) / 2, loss.getFloat(), EPS);
            assertEquals(0f, r1.getGradient().abs().sum().getFloat(), "real features are detached");
            // d/df1 = 10 / 2 (features) / 4 (elements) * sign(f1 - r1) = 1.25 * [0, -1, 1, 0]
            assertArrayEquals(new float[] {0f, -1.25f, 1.25f, 0f}, f1.getGradient().toFloatArray(), EPS);
            assertThrows(IllegalArgumentException.class, () -> fm.loss(new NDList(r1), new NDList(f1, f2)));
            assertThrows(IllegalArgumentException.class, () -> fm.loss(new NDList(r1), new NDList(f2)));
        }
    }
}
