package org.spadeanime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.TorchBackends;

/** The start-up self-check, the raw reproducer of the oneDNN defect, and that the two agree. */
class NumericsCheckTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.init();
    }

    @Test
    void theBackendTheKitChosePassesEveryCheck() {
        NumericsCheck.Report report = NumericsCheck.run(Device.cpu());
        System.out.println(report.describe());
        assertEquals(30, report.results().size(), "compared outputs");
        assertTrue(report.passed(), report.describe());
        assertEquals(TorchBackends.oneDnnEnabled().orElseThrow(), report.oneDnn());
    }

    /** Fails on the code before the fix on CPUs with the defect (AMD EPYC Zen 5 here). */
    @Test
    void convInputGradientsAreExactWithAPoisonedHeap() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ConvBackwardReproducer.Outcome o : ConvBackwardReproducer.run(manager)) {
                System.out.println("chosen backend: " + o);
                assertTrue(o.exact(), o.toString());
            }
        }
    }

    /**
     * With oneDNN convolutions on, the self-check must see what the raw reproducer sees: on a CPU
     * where oneDNN gets input gradients wrong it fails on a convolution, elsewhere it passes; and
     * mode auto chose oneDNN exactly where it passes.
     */
    @Test
    void theSelfCheckCatchesOneDnnWhereverTheReproducerDoes() {
        boolean chosen = TorchBackends.oneDnnEnabled().orElseThrow();
        TorchBackends.setOneDnn(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ConvBackwardReproducer.Outcome> outcomes = ConvBackwardReproducer.run(manager);
            outcomes.forEach(o -> System.out.println("oneDNN: " + o));
            boolean broken = outcomes.stream().anyMatch(o -> !o.exact());
            NumericsCheck.Report report = NumericsCheck.run(Device.cpu());
            System.out.println(report.describe());
            assertTrue(report.oneDnn());
            assertEquals(!broken, report.passed(), report.describe());
            if (TorchBackends.mode() == TorchBackends.Mode.AUTO) {
                assertEquals(!broken, chosen, "auto keeps oneDNN exactly where it passes");
            }
            if (broken) {
                assertTrue(report.failures().stream().anyMatch(r -> r.check().startsWith("conv")), report.describe());
                String message = NumericsCheck.failure(report).getMessage();
                assertTrue(message.contains("oneDNN convolutions are on") && message.contains("spade.onednn"), message);
            }
        } finally {
            TorchBackends.setOneDnn(chosen);
        }
        assertEquals(chosen, TorchBackends.oneDnnEnabled().orElseThrow());
    }

    @Test
    void aWrongReferenceFailsNamingTheOpAndTheSwitch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList fixture = NumericsCheck.fixture(manager);
            NDArray dx = fixture.get("conv_head.dx");
            NDArray tampered = dx.mul(manager.full(dx.getShape(), 1.01f));
            tampered.setName("conv_head.dx");
            fixture.set(fixture.indexOf(dx), tampered);
            NumericsCheck.Report report = NumericsCheck.run(manager, fixture, false);
            assertEquals(1, report.failures().size(), report.describe());
            NumericsCheck.Result failed = report.failures().get(0);
            assertEquals("conv_head", failed.check());
            assertEquals("input gradient", failed.output());
            assertEquals(0.01, failed.error(), 1e-4);
            String message = NumericsCheck.failure(report).getMessage();
            assertTrue(message.contains("conv_head (input gradient)") && message.contains("ATEN_CPU_CAPABILITY"), message);
        }
    }

    @Test
    void junkFillMakesNewCpuMemoryNaN() {
        boolean before = TorchBackends.junkFill(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            // an uninitialised (B, C, H, W) array, as a kernel's scratch buffer would be
            NDArray fresh = manager.create(new ai.djl.ndarray.types.Shape(64, 64), ai.djl.ndarray.types.DataType.FLOAT32);
            float[] v = fresh.toFloatArray();
            long nan = 0;
            for (float f : v) {
                nan += Float.isNaN(f) ? 1 : 0;
            }
            assertEquals(v.length, nan, "every element of a fresh allocation is NaN");
        } finally {
            TorchBackends.junkFill(before);
        }
    }

    @Test
    void nonFiniteOrMisshapenOutputsNeverPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ref = manager.create(new float[] {1, 2, 3});
            assertTrue(Double.isNaN(NumericsCheck.relativeError(manager.create(new float[] {1, Float.NaN, 3}), ref)));
            assertTrue(Double.isNaN(NumericsCheck.relativeError(manager.create(new float[] {1, 2}), ref)));
            assertFalse(new NumericsCheck.Result("x", "y", Double.NaN, 1e-4).passed());
            assertEquals(0.5 / 3, NumericsCheck.relativeError(manager.create(new float[] {1, 2.5f, 3}), ref), 1e-7);
        }
    }
}
