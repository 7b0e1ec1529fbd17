package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Receptive fields composed from the layers, against the literature and against measured gradients. */
class ReceptiveFieldTest extends EngineTestBase {

    @Test
    void recurrenceGivesPix2pixsSeventyPixelPatch() {
        // pix2pix's PatchGAN: three 4×4 convs of stride 2, then two of stride 1 → 70×70 (Isola et al. 2017)
        ReceptiveField rf = ReceptiveField.pixel();
        for (int stride : new int[] {2, 2, 2, 1, 1}) {
            rf = rf.then(ReceptiveField.conv(4, stride, 1));
        }
        assertEquals(new ReceptiveField(70, 8), rf);
        assertEquals(new ReceptiveField(9, 1), ReceptiveField.conv(3, 1, 4));
        assertEquals(rf, ReceptiveField.pixel().then(rf));
    }

    @Test
    void constantFcnSeesSeventeenPixelsDensely() {
        ConstantFcn fcn = init(new ConstantFcn(4, 32), 4);
        assertEquals(new ReceptiveField(17, 1), fcn.receptiveField());
        ReceptiveField.Support s = ReceptiveField.measure(fcn, 4, 48, manager, 1);
        assertEquals(17, s.extent());
        assertEquals(17 * 17, s.pixels());
        assertEquals(1.0, s.density(), 0);
    }

    @Test
    void asppReachesFurtherThroughSparseTaps() {
        int resolution = 64;
        Aspp aspp = init(new Aspp(4, 16, 8, resolution, false), 4);
        int[] rates = {Aspp.rate(6, resolution), Aspp.rate(12, resolution), Aspp.rate(18, resolution)};
        assertEquals(6, rates[0]);
        assertEquals(18, rates[2]);
        assertEquals(new ReceptiveField(2 * 18 + 1 + 2, 1), aspp.receptiveField());
        ReceptiveField.Support s = ReceptiveField.measure(aspp, 4, resolution, manager, 2);
        assertEquals(39, s.extent());
        // the taps of the four branches (1×1 and 3×3 at each rate), spread by the fusing 3×3 conv
        Set<Integer> taps = new HashSet<>();
        for (int rate : new int[] {0, rates[0], rates[1], rates[2]}) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    for (int fy = -1; fy <= 1; fy++) {
                        for (int fx = -1; fx <= 1; fx++) {
                            taps.add((dy * rate + fy) * 1000 + dx * rate + fx);
                        }
                    }
                }
            }
        }
        assertEquals(taps.size(), s.pixels());
        assertEquals(taps.size() / (39.0 * 39.0), s.density(), 1e-12);
    }

    @Test
    void atrousConvTouchesOnlyItsNineTaps() {
        SpectralConv2d conv = init(SpectralConv2d.builder(2, 3).dilation(4).build(), 2);
        assertEquals(new ReceptiveField(9, 1), conv.receptiveField());
        ReceptiveField.Support s = ReceptiveField.measure(conv, 2, 21, manager, 3);
        assertEquals(9, s.extent());
        assertEquals(9, s.pixels());
        boolean[] mask = s.mask();
        int c = 21 / 2;
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 21; x++) {
                boolean tap = Math.abs(x - c) % 4 == 0 && Math.abs(y - c) % 4 == 0 && Math.abs(x - c) <= 4 && Math.abs(y - c) <= 4;
                assertEquals(tap, mask[y * 21 + x], "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void stridedConvCountsItsWindow() {
        SpectralConv2d conv = init(SpectralConv2d.builder(1, 1).kernel(4).stride(2).padding(1)
                .noBias().spectralNorm(true).build(), 1);
        assertEquals(new ReceptiveField(4, 2), conv.receptiveField());
        assertEquals(4, ReceptiveField.measure(conv, 1, 16, manager, 4).extent());
    }

    @Test
    void eachPatchLogitSeesWhatItsGradientReaches() {
        ModelOptions o = ModelOptions.paper().withResolution(256).withNdf(4).withDivisionCh(4);
        PatchDiscriminator d = new PatchDiscriminator(o);
        d.initialize(manager);
        assertEquals(new ReceptiveField(182, 8), d.receptiveField());
        // the centre logit's gradient on the image, with attention's γ at 0 (inference: BN stays local)
        Shape[] in = d.inputShapes(1);
        NDArray image = manager.randomNormal(in[1]);
        image.setRequiresGradient(true);
        float[] g;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = d.forward(ps, new NDList(manager.randomNormal(in[0]), image,
                    manager.randomNormal(in[2])), false).head();
            int c = o.patchSize() / 2;
            gc.backward(logits.get(new NDIndex(":, :, {}, {}", c, c)).sum());
            g = image.getGradient().abs().sum(new int[] {0, 1}).toFloatArray();
        }
        int x0 = 256;
        int x1 = -1;
        for (int i = 0; i < g.length; i++) {
            if (g[i] != 0f) {
                x0 = Math.min(x0, i % 256);
                x1 = Math.max(x1, i % 256);
            }
        }
        assertEquals(182, x1 - x0 + 1);
    }

    @Test
    void spadeModulatesFromAThreeByThreeWindow() {
        assertEquals(new ReceptiveField(3, 1), new Spade(8, 16).receptiveField());
    }

    @Test
    void badFieldsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> ReceptiveField.conv(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReceptiveField(0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReceptiveField.widest(ReceptiveField.conv(3, 1, 1), ReceptiveField.conv(3, 2, 1)));
        assertEquals("parallel branches with jumps 1 and 2 are not aligned pixel by pixel", e.getMessage());
    }

    private <T extends Block> T init(T block, int channels) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 8, 8));
        return block;
    }
}
