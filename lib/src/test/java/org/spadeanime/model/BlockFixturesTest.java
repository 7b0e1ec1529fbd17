package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spadeanime.model.ModelFixtures.assertClose;
import static org.spadeanime.model.ModelFixtures.get;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.spadeanime.model.ModelOptions.Upsampling;

/** Every block against the PyTorch fixtures (relative error ≤ 1e-5). */
class BlockFixturesTest extends EngineTestBase {


    @AfterAll
    static void report() {
        ModelFixtures.printErrors();
    }

    /**
     * The generic case: parameters in, `forwards` training forwards (outputs of the last compared),
     * the u, v and BN statistics after them, and an inference forward if the fixture has one.
     */
    private NDList runCase(String name, Block block, int forwards, String... inputNames) {
        NDList f = ModelFixtures.load(manager, name);
        block.initialize(manager, DataType.FLOAT32, new Shape[0]);
        ModelFixtures.assignParameters(block, f);
        NDList in = new NDList();
        for (String n : inputNames) {
            in.add(get(f, "in." + n));
        }
        NDList out = null;
        for (int i = 0; i < forwards; i++) {
            out = block.forward(ps, in, true);
        }
        compareOutputs(name, "training", out, f, "out.");
        int after = 0;
        for (NDArray a : f) {
            if (a.getName().startsWith("after.")) {
                String path = a.getName().substring(6);
                assertClose(name, path + " after training", ModelFixtures.parameter(block, path), a);
                after++;
            }
        }
        if (f.contains("eval.0")) {
            compareOutputs(name, "eval", block.forward(ps, in, false), f, "eval.");
        }
        assertTrue(after > 0 || name.equals("noise_injection") || name.equals("constant_fcn"),
                name + ": fixture checks no state after training");
        return f;
    }

    private static void compareOutputs(String name, String mode, NDList out, NDList f, String prefix) {
        for (int i = 0; i < out.size(); i++) {
            assertClose(name, mode + " output " + i, out.get(i), f, prefix + i);
        }
        assertTrue(!f.contains(prefix + out.size()), name + ": fewer outputs than the fixture");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spectral_conv_3x3", "spectral_conv_4x4_s2", "spectral_conv_atrous", "spectral_conv_reflect"})
    void spectralConvWithPowerIterationAndGradient(String name) {
        JsonObject a = ModelFixtures.index(name);
        boolean bias = a.get("bias").getAsBoolean();
        SpectralConv2d.Builder builder = SpectralConv2d.builder(a.get("cin").getAsInt(), a.get("cout").getAsInt())
                .kernel(a.get("k").getAsInt()).stride(a.get("stride").getAsInt())
                .padding(a.get("pad").getAsInt()).dilation(a.get("dil").getAsInt()).spectralNorm(true)
                .paddingMode(a.has("padding") ? ModelOptions.Padding.valueOf(a.get("padding").getAsString()
                        .toUpperCase(java.util.Locale.ROOT)) : ModelOptions.Padding.ZEROS);
        SpectralConv2d conv = (bias ? builder : builder.noBias()).build();
        NDList f = runCase(name, conv, 2, "x");
        // σ stays in the graph: the weight gradient of a third forward equals torch's.
        NDArray x = get(f, "in.x").duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = conv.forward(ps, new NDList(x), true).head();
            collectGarbage(); // the graph must own every array its backward reads (reflect's indices did not)
            gc.backward(out.mul(get(f, "grad.r")).sum());
        }
        if (f.contains("grad.x")) { // through the padding: reflected border pixels get two gradients
            assertClose(name, "input gradient", x.getGradient(), f, "grad.x");
        }
        assertClose(name, "weight gradient", ModelFixtures.parameter(conv, "weight").getGradient(), f, "grad.weight");
        if (bias) {
            assertClose(name, "bias gradient", ModelFixtures.parameter(conv, "bias").getGradient(), f, "grad.bias");
        }
        if (!f.contains("grad2.x2")) {
            return; // the reflect case records one backward
        }
        // Two forwards before one backward (D on real, then fake): each keeps its own u, v.
        NDArray weight = ModelFixtures.parameter(conv, "weight");
        weight.getGradient().subi(weight.getGradient());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray real = conv.forward(ps, new NDList(get(f, "in.x")), true).head().mul(get(f, "grad.r")).sum();
            NDArray fake = conv.forward(ps, new NDList(get(f, "grad2.x2")), true).head().mul(get(f, "grad2.r2")).sum();
            gc.backward(real.add(fake));
        }
        assertClose(name, "weight gradient of two forwards", weight.getGradient(), f, "grad2.weight");
    }

    /** Full collections, so that Java buffers nothing references any more are freed (and overwritten). */
    static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            java.nio.ByteBuffer.allocateDirect(1 << 20).put(new byte[1 << 20]);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reflect padding's source indices, torch's rule, and the clamp where a side is too short to reflect. */
    @Test
    void reflectedIndices() {
        assertEquals(List.of(2L, 1L, 0L, 1L, 2L, 3L, 2L, 1L), box(SpectralConv2d.reflectedIndex(4, 2)));
        assertEquals(List.of(1L, 0L, 1L, 0L), box(SpectralConv2d.reflectedIndex(2, 1)));
        assertEquals(List.of(0L, 0L, 0L), box(SpectralConv2d.reflectedIndex(1, 1)), "a 1-pixel side repeats");
        assertEquals(List.of(0L, 1L, 0L, 1L, 0L, 0L), box(SpectralConv2d.reflectedIndex(2, 2)),
                "too short to reflect twice: folded and clamped");
    }

    private static List<Long> box(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    @Test
    void constantFcn() {
        runCase("constant_fcn", new ConstantFcn(4, 16), 1, "x");
    }

    @Test
    void aspp() {
        runCase("aspp", new Aspp(3, 8, 6, 16, true), 2, "x");
    }

    @Test
    void spadeResizesTheMappingFeatures() {
        runCase("spade", new Spade(6, 5), 2, "x", "w");
    }

    @Test
    void selfAttention() {
        runCase("self_attention", new SelfAttention(16, 4, true), 2, "x");
    }

    @Test
    void noiseInjectionWithFixedNoise() {
        NoiseInjection n = new NoiseInjection(5);
        n.setNoiseSource(NoiseSource.fixed(noiseDraws("noise_injection")));
        runCase("noise_injection", n, 1, "x");
    }

    @Test
    void spadeResBlockWithSecondMap() {
        SpadeResBlock b = new SpadeResBlock(8, 4, 6, 3, true, true, Resize.Mode.BILINEAR);
        b.setNoiseSource(NoiseSource.fixed(noiseDraws("spade_resblock_w2")));
        runCase("spade_resblock_w2", b, 2, "x", "w1", "w2");
    }

    @Test
    void spadeResBlockWithoutSecondMap() {
        SpadeResBlock b = new SpadeResBlock(8, 4, 6, 0, true, true, Resize.Mode.BILINEAR);
        b.setNoiseSource(NoiseSource.fixed(noiseDraws("spade_resblock")));
        runCase("spade_resblock", b, 2, "x", "w1");
    }

    @Test
    void discriminatorResBlock() {
        runCase("discriminator_resblock", new DiscriminatorResBlock(8, 4, true), 2, "x");
    }

    @Test
    void upsamplingResizingAndTransposedConv() {
        NDList f = ModelFixtures.load(manager, "upsample");
        NDArray x = get(f, "in.x");
        for (Upsampling mode : Upsampling.values()) {
            Upsample up = new Upsample(mode, 3, true);
            up.initialize(manager, DataType.FLOAT32, new Shape[0]);
            if (mode == Upsampling.SUBPIXEL) {
                ModelFixtures.assignParameters(up, f);
            }
            assertClose("upsample", mode.name(), up.forward(ps, new NDList(x), true).head(), f, "out." + mode);
        }
        for (int[] hw : new int[][] {{4, 4}, {3, 2}, {9, 7}, {16, 16}}) {
            assertClose("upsample", "bilinear resize", Resize.bilinear(x, hw[0], hw[1]), f,
                    "resize." + hw[0] + "x" + hw[1]);
        }
        // The original's stride-1 deconvolution as an ordinary conv with the flipped kernel.
        NDArray kernel = Upsample.convKernelOfTransposed(get(f, "deconv.weight"));
        NDArray out = ai.djl.nn.convolutional.Conv2d.conv2d(x, kernel, null, new Shape(1, 1),
                new Shape(1, 1), new Shape(1, 1)).head();
        assertClose("upsample", "transposed conv", out, f, "deconv.out");
    }

    @Test
    void engineSeedMakesNoiseReproducible() {
        NoiseInjection n = new NoiseInjection(3);
        n.initialize(manager, DataType.FLOAT32, new Shape[0]);
        ModelFixtures.parameter(n, "scale").intern(manager.ones(new Shape(1, 3, 1, 1)));
        NDArray x = manager.zeros(new Shape(2, 3, 5, 5));
        float[][] runs = new float[3][];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            Engine.getInstance().setRandomSeed((int) seeds[i]);
            runs[i] = n.forward(ps, new NDList(x), false).head().toFloatArray();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(runs[0], runs[1]);
        assertTrue(!java.util.Arrays.equals(runs[0], runs[2]), "another seed, other noise");
        assertEquals(runs[0][0], runs[0][25], "one noise plane shared by all channels");
    }

    @Test
    void unusedFixedNoiseAndWrongShapesAreErrors() {
        NDArray draw = manager.zeros(new Shape(1, 1, 2, 2));
        NoiseSource src = NoiseSource.fixed(List.of(draw));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> src.sample(manager, new Shape(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("(1, 1, 3, 3)"), e.getMessage());
        assertEquals(new Shape(1, 1, 2, 2), NoiseSource.fixed(List.of(draw)).sample(manager, new Shape(1, 1, 2, 2)).getShape());
    }

    private List<NDArray> noiseDraws(String name) {
        NDList f = ModelFixtures.load(manager, name);
        List<NDArray> draws = new ArrayList<>();
        for (int i = 0; f.contains("noise." + i); i++) {
            draws.add(f.get("noise." + i));
        }
        assertTrue(!draws.isEmpty(), name + " has no noise draws");
        return draws;
    }
}
