package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.io.RecordJson;
import com.google.gson.JsonPrimitive;

/** R1 and the original's form against torch.autograd.grad on every parameter of a small D. */
class GradientPenaltyTest {

    private static GradientPenalty r1;
    private static GradientPenalty squaredSum;

    @BeforeAll
    static void load() {
        DjlRuntime.init();
        r1 = GradientPenalty.create(GradientPenalty.Form.R1, GradientPenalty.Target.REAL_FAKE, 10f);
        squaredSum = GradientPenalty.create(GradientPenalty.Form.SQUARED_SUM, GradientPenalty.Target.REAL, 10f);
    }

    @AfterAll
    static void close() {
        r1.close();
        squaredSum.close();
    }

    @Test
    void r1MatchesTorchOnEveryParameter() {
        checkAgainstTorch(r1, "r1");
    }

    @Test
    void squaredSumMatchesTorchOnEveryParameter() {
        checkAgainstTorch(squaredSum, "squared_sum");
    }

    private static void checkAgainstTorch(GradientPenalty gp, String tag) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("gradient_penalty.npz", manager);
            SmallDiscriminator d = new SmallDiscriminator(fx);
            NDArray image = fx.get("image");
            image.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = d.forward(fx.get("label"), image, fx.get("cond")).get(0);
                NDArray penalty = gp.penalty(logits, image);
                assertEquals(0, penalty.getShape().dimension(), "penalty is a scalar");
                value = penalty.getFloat();
                gc.backward(penalty);
            }
            double expected = fx.scalar(tag + "_value");
            assertEquals(expected, value, 2e-6 * Math.abs(expected), tag + " value");
            assertGradients(fx, d, tag);
        }
    }

    /**
     * Every parameter's gradient against the fixture, relative to its own largest entry. The conv
     * bias right before batch norm has an exactly zero gradient (BN subtracts it again); both sides
     * hold rounding noise there, so it is measured against the largest gradient of all parameters.
     */
    private static void assertGradients(Fixtures fx, SmallDiscriminator d, String tag) {
        double all = fx.maxAbs(tag + "_grad_", SmallDiscriminator.TRAINABLE);
        for (String name : SmallDiscriminator.TRAINABLE) {
            double floor = name.equals("c2_b") ? all : 0;
            double err = Fixtures.relativeError(d.param(name).getGradient(), fx.get(tag + "_grad_" + name), floor);
            System.out.printf("%s d/d%s: max rel. error %.2e%n", tag, name, err);
            assertTrue(err < 1e-5, tag + " gradient of " + name + ": relative error " + err);
        }
    }

    /** The seed's D step: hinge + γ/2 (R1(real) + R1(fake)); one backward through both graphs. */
    @Test
    void wholeDiscriminatorStepMatchesTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load("gradient_penalty.npz", manager);
            SmallDiscriminator d = new SmallDiscriminator(fx);
            NDArray real = fx.get("image");
            NDArray fake = fx.get("fake");
            real.setRequiresGradient(true);
            fake.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList realOut = d.forward(fx.get("label"), real, fx.get("cond"));
                NDList fakeOut = d.forward(fx.get("label"), fake, fx.get("cond"));
                AdversarialLoss.DTerms adv = AdversarialLoss.HINGE.dLoss(realOut.get(0), fakeOut.get(0));
                NDArray gp = r1.term(r1.penalty(realOut.get(0), real), r1.penalty(fakeOut.get(0), fake));
                NDArray loss = adv.total().add(gp);
                value = loss.getFloat();
                gc.backward(loss);
            }
            double expected = fx.scalar("dstep_value");
            assertEquals(expected, value, 2e-6 * Math.abs(expected), "D loss");
            assertGradients(fx, d, "dstep");
        }
    }

    @Test
    void termWeightsEnabledSidesByHalfGamma() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(3f);
            NDArray b = manager.create(5f);
            assertEquals(40f, r1.term(a, b).getFloat(), 1e-6f);
            assertEquals(15f, r1.term(a, null).getFloat(), 1e-6f);
            assertEquals(25f, r1.term(null, b).getFloat(), 1e-6f);
            assertNull(r1.term(null, null));
        }
        assertTrue(r1.onReal() && r1.onFake());
        assertTrue(squaredSum.onReal() && !squaredSum.onFake());
    }

    @Test
    void inputWithoutGradientIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(1, 3, 4, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r1.penalty(x.sum(new int[] {1, 2, 3}), x));
            assertTrue(e.getMessage().contains("setRequiresGradient(true)"), e.getMessage());
        }
    }

    /** An option value as the command line gives it (train options read enums this way). */
    static Object option(Class<?> type, String text) {
        return RecordJson.field("option", type, new JsonPrimitive(text), RecordJson.Values.TEXT);
    }

    @Test
    void optionNamesParseAndRejectClearly() {
        assertEquals(GradientPenalty.Form.SQUARED_SUM, option(GradientPenalty.Form.class, "squared_sum"));
        assertEquals(GradientPenalty.Target.REAL_FAKE, option(GradientPenalty.Target.class, "Real_Fake"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> option(GradientPenalty.Target.class, "both"));
        assertTrue(e.getMessage().contains("real, fake, real_fake"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradientPenalty.create(GradientPenalty.Form.R1, GradientPenalty.Target.REAL, -1f));
    }
}
