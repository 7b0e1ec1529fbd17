package org.spadeanime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;

/**
 * The DJL VGG forward and the perceptual loss against torch on reduced-width VGG16/VGG19 weights
 * written by the converter's own writer; the random-initialised path; the missing-weights path.
 */
class PerceptualLossTest {

    @BeforeAll
    static void init() {
        DjlRuntime.init();
    }

    static Path fixtureFile(String name) {
        try {
            return Path.of(PerceptualLossTest.class.getResource("/fixtures/loss/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name + " missing: run lib/src/test/python/make_loss_fixtures.py", e);
        }
    }

    @Test
    void vgg16MatchesTorch() throws IOException {
        matchesTorch(Vgg.Arch.VGG16);
    }

    @Test
    void vgg19MatchesTorch() throws IOException {
        matchesTorch(Vgg.Arch.VGG19);
    }

    private static void matchesTorch(Vgg.Arch arch) throws IOException {
        String a = arch.name().toLowerCase(java.util.Locale.ROOT);
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixtures fx = Fixtures.load(a + "_tiny.npz", manager);
            try (PerceptualLoss mae = new PerceptualLoss(Vgg.load(fixtureFile(a + "_tiny.safetensors"), arch, manager),
                    PerceptualLoss.Criterion.MAE, 10f)) {
                NDArray real = fx.get("real");
                NDArray fake = fx.get("fake");
                Vgg vgg = mae.vgg();
                NDList feats = vgg.features(vgg.preprocess(fake), arch.perceptualLayers());
                for (int i = 0; i < feats.size(); i++) {
                    String layer = arch.perceptualLayers().get(i);
                    double err = Fixtures.relativeError(feats.get(i), fx.get("fake_" + layer));
                    System.out.printf("%s %s features: max rel. error %.2e%n", a, layer, err);
                    assertTrue(err < 1e-5, a + " " + layer + ": relative error " + err);
                }
                fake.setRequiresGradient(true);
                NDArray loss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    loss = mae.loss(real, fake);
                    gc.backward(loss);
                }
                double expected = fx.scalar("mae");
                System.out.printf("%s MAE loss %.6f vs torch %.6f%n", a, loss.getFloat(), expected);
                assertEquals(expected, loss.getFloat(), 1e-5 * expected);
                double gradErr = Fixtures.relativeError(fake.getGradient(), fx.get("mae_grad_fake"));
                System.out.printf("%s d loss / d fake: max rel. error %.2e%n", a, gradErr);
                assertTrue(gradErr < 1e-4, "gradient w.r.t. the fake image: " + gradErr);

                PerceptualLoss mse = new PerceptualLoss(vgg, PerceptualLoss.Criterion.MSE, 10f);
                double expectedMse = fx.scalar("mse");
                assertEquals(expectedMse, mse.loss(real, fake).getFloat(), 1e-5 * expectedMse);
            }
        }
    }

    @Test
    void randomInitialisedVggRunsTheWholePath() {
        try (NDManager manager = NDManager.newBaseManager();
             PerceptualLoss loss = new PerceptualLoss(Vgg.random(Vgg.Arch.VGG16, 1, 11, manager),
                     PerceptualLoss.Criterion.MAE, 10f)) {
            NDArray real = manager.randomUniform(-1f, 1f, new Shape(1, 3, 32, 32));
            NDArray fake = manager.randomUniform(-1f, 1f, new Shape(1, 3, 32, 32));
            fake.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.loss(real, fake);
                gc.backward(value);
            }
            assertTrue(value.getFloat() > 0 && Float.isFinite(value.getFloat()), "loss " + value.getFloat());
            assertTrue(fake.getGradient().abs().sum().getFloat() > 0, "gradient reaches the generated image");
            assertEquals(0f, loss.loss(real, real).getFloat(), "identical images");
            NDList feats = loss.vgg().features(loss.vgg().preprocess(real), loss.layers());
            List<Shape> shapes = new ArrayList<>();
            feats.forEach(f -> shapes.add(f.getShape()));
            assertEquals(List.of(new Shape(1, 64, 32, 32), new Shape(1, 128, 16, 16), new Shape(1, 256, 8, 8),
                    new Shape(1, 512, 4, 4), new Shape(1, 512, 2, 2)), shapes);
        }
    }

    @Test
    void preprocessingIsTheCaffeConvention() {
        try (NDManager manager = NDManager.newBaseManager(); Vgg vgg = Vgg.random(Vgg.Arch.VGG16, 64, 1, manager)) {
            // one pixel, RGB (1, 0, -1) in [-1, 1] -> 0..255 (255, 127.5, 0) -> BGR (0, 127.5, 255) - mean
            NDArray x = manager.create(new float[] {1f, 0f, -1f}, new Shape(1, 3, 1, 1));
            float[] out = vgg.preprocess(x).toFloatArray();
            assertEquals(0f - 103.939f, out[0], 1e-4f);
            assertEquals(127.5f - 116.779f, out[1], 1e-4f);
            assertEquals(255f - 123.68f, out[2], 1e-4f);
        }
    }

    @Test
    void optionNamesParse() {
        assertEquals(Vgg.Arch.VGG19, GradientPenaltyTest.option(Vgg.Arch.class, "VGG19"));
        assertEquals(PerceptualLoss.Criterion.MSE, GradientPenaltyTest.option(PerceptualLoss.Criterion.class, "mse"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientPenaltyTest.option(Vgg.Arch.class, "vgg11"));
        assertTrue(e.getMessage().contains("option: expected one of vgg16, vgg19, got \"vgg11\""), e.getMessage());
        assertEquals(Path.of("weights", "vgg16.safetensors"), Vgg.Arch.VGG16.defaultWeights());
    }

    @Test
    void missingWeightsWarnOnceAndTurnTheTermOff(@TempDir Path dir) throws IOException {
        List<String> warnings = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Path missing = dir.resolve("vgg16.safetensors");
            assertNull(PerceptualLoss.loadOrNull(missing, Vgg.Arch.VGG16, PerceptualLoss.Criterion.MAE, 10f, manager,
                    warnings::add));
        }
        assertEquals(1, warnings.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            // a kernel trains again and again: the five lines are said once per JVM and file
            assertNull(PerceptualLoss.loadOrNull(dir.resolve("vgg16.safetensors"), Vgg.Arch.VGG16,
                    PerceptualLoss.Criterion.MAE, 10f, manager, warnings::add));
            assertEquals(1, warnings.size(), "said again: " + warnings);
            assertNull(PerceptualLoss.loadOrNull(dir.resolve("other.safetensors"), Vgg.Arch.VGG16,
                    PerceptualLoss.Criterion.MAE, 10f, manager, warnings::add));
            assertEquals(2, warnings.size(), "another missing file is reported");
        }
        String w = warnings.get(0);
        assertTrue(w.contains("Perceptual loss OFF") && w.contains("vgg16.safetensors")
                && w.contains("weights/export_vgg.py") && w.contains("VGG_ILSVRC_16_layers.caffemodel"), w);
    }

    @Test
    void badWeightFilesAreClearErrors(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path vgg19 = fixtureFile("vgg19_tiny.safetensors");
            IOException e = assertThrows(IOException.class, () -> Vgg.load(vgg19, Vgg.Arch.VGG16, manager));
            assertTrue(e.getMessage().contains("holds vgg19 weights, expected vgg16"), e.getMessage());

            byte[] bytes = Files.readAllBytes(fixtureFile("vgg16_tiny.safetensors"));
            Path cut = dir.resolve("cut.safetensors");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            e = assertThrows(IOException.class, () -> Vgg.load(cut, Vgg.Arch.VGG16, manager));
            assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"), e.getMessage());

            Path junk = dir.resolve("junk.safetensors");
            Files.writeString(junk, "not weights at all");
            e = assertThrows(IOException.class, () -> PerceptualLoss.loadOrNull(junk, Vgg.Arch.VGG16,
                    PerceptualLoss.Criterion.MAE, 10f, manager, s -> { }));
            assertTrue(e.getMessage().contains("junk.safetensors") && e.getMessage().contains("not a safetensors file"),
                    e.getMessage());
            assertEquals(0, manager.getManagedArrays().size(), "failed loads release what they read");
        }
    }
}
