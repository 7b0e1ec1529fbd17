package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.PatchDiscriminator;

/** R1's input gradient by autograd and by central differences, and R1 itself from it. */
class InputGradientTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        DjlRuntime.init();
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A two-layer conv "discriminator" on concat(label, image, condition), in the given type. */
    private LambdaBlock smallD(DataType type, boolean leaky) {
        NDArray w1 = manager.randomNormal(new Shape(4, 7, 3, 3)).toType(type, false);
        NDArray w2 = manager.randomNormal(new Shape(1, 4, 3, 3)).toType(type, false);
        return new LambdaBlock(in -> {
            NDArray h = Conv2d.conv2d(NDArrays.concat(in, 1), w1, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1)).head();
            h = leaky ? Activation.leakyRelu(h, 0.2f) : h;
            return Conv2d.conv2d(h, w2, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1));
        });
    }

    private NDList inputs(DataType type) {
        return new NDList(manager.randomUniform(0f, 1f, new Shape(1, 1, 10, 10)).toType(type, false),
                manager.randomUniform(-1f, 1f, new Shape(1, 3, 10, 10)).toType(type, false),
                manager.randomUniform(0f, 1f, new Shape(1, 3, 10, 10)).toType(type, false));
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        return maxAbsDifference(a, new double[a.length]);
    }

    @Test
    void differencesMatchAutogradInDoublePrecision() {
        LambdaBlock d = smallD(DataType.FLOAT64, true);
        NDList in = inputs(DataType.FLOAT64);
        double[] auto = InputGradient.autograd(d, in.get(0), in.get(1), in.get(2));
        double[] fd = InputGradient.finiteDifferences(d, in.get(0), in.get(1), in.get(2), 1e-6, 64);
        assertEquals(300, auto.length);
        assertTrue(maxAbs(auto) > 0.1, "a gradient worth checking: " + maxAbs(auto));
        assertTrue(maxAbsDifference(auto, fd) < 1e-8 * maxAbs(auto), "max difference " + maxAbsDifference(auto, fd));
        assertEquals(InputGradient.squaredNorm(auto), InputGradient.squaredNorm(fd), 1e-8 * InputGradient.squaredNorm(auto));
    }

    @Test
    void floatDifferencesMatchAutogradOnALinearD() {
        // Linear in the image: central differences have no truncation error at any ε, only the
        // float32 rounding of D̄, which they divide by 2ε. At ε = 1e-2 that rounding alone was
        // 0.9e-4 (oneDNN's summation order) to 1.5e-4 (ATen's) of the gradient: the check measured
        // the conv's summation order, not the gradient. ε = 0.25 leaves ≈ 6e-6.
        LambdaBlock d = smallD(DataType.FLOAT32, false);
        NDList in = inputs(DataType.FLOAT32);
        double[] auto = InputGradient.autograd(d, in.get(0), in.get(1), in.get(2));
        java.util.List<Integer> progress = new java.util.ArrayList<>();
        double[] fd = InputGradient.finiteDifferences(d, in.get(0), in.get(1), in.get(2), 0.25, 7, progress::add);
        assertTrue(maxAbsDifference(auto, fd) < 1e-4 * maxAbs(auto), "max difference " + maxAbsDifference(auto, fd));
        // a progress event per batch of 3 elements (7 forwards, two an element), the last one at the end
        assertEquals((fd.length + 2) / 3, progress.size(), "events " + progress);
        assertEquals(3, progress.get(0));
        assertEquals(fd.length, progress.get(progress.size() - 1));
    }

    @Test
    void r1IsTheSquaredNormOfTheInputGradient() {
        PatchDiscriminator d = new PatchDiscriminator(ModelOptions.tiny());
        d.initialize(manager);
        Shape[] s = d.inputShapes(1);
        NDArray label = manager.randomUniform(0f, 1f, s[0]);
        NDArray image = manager.randomUniform(-1f, 1f, s[1]);
        NDArray condition = manager.randomUniform(0f, 1f, s[2]);
        double[] g = InputGradient.autograd(d, label, image, condition);
        for (Parameter p : d.trainedParameters()) {
            assertEquals(0f, p.getArray().getGradient().abs().max().getFloat(), "gradient of " + p.getName() + " zeroed");
        }
        double penalty;
        try (GradientPenalty r1 = GradientPenalty.create(); NDManager sub = manager.newSubManager()) {
            NDArray x = image.duplicate();
            x.attach(sub);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = d.forward(new ParameterStore(sub, false), new NDList(label, x, condition), false).head();
                penalty = r1.penalty(logits, x).getFloat();
            }
            assertEquals(penalty, InputGradient.penalty(r1, d, label, image, condition), 1e-6 * penalty);
        }
        assertEquals(penalty, InputGradient.squaredNorm(g), 1e-5 * penalty);
        assertEquals(1, manager.getManagedArrays().stream().filter(a -> a == image).count(), "inputs stay with their manager");
    }

    @Test
    void badArgumentsAreClear() {
        LambdaBlock d = smallD(DataType.FLOAT32, true);
        NDList in = inputs(DataType.FLOAT32);
        assertThrows(IllegalArgumentException.class,
                () -> InputGradient.finiteDifferences(d, in.get(0), in.get(1), in.get(2), 1e-2, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputGradient.autograd(d, in.get(0), in.get(1).repeat(0, 2), in.get(2)));
        assertEquals("input gradient: expected one image (1, C, H, W), got (2, 3, 10, 10)", e.getMessage());
    }
}
