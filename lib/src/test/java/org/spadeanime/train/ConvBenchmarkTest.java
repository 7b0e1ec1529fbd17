package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.TorchBackends;
import org.spadeanime.train.ConvBenchmark.ConvShape;
import org.spadeanime.train.ConvBenchmark.Layout;

/** bench-conv's measurement: every layout computes the same convolution and its gradients; shapes parse. */
class ConvBenchmarkTest {

    @Test
    void everyLayoutComputesTheReferenceConvolutionAndGradient() {
        DjlRuntime.init();
        boolean chosen = TorchBackends.oneDnnEnabled().orElse(false);
        TorchBackends.setOneDnn(false); // ATen: exact on every CPU measured, so the errors are the layouts' own
        try {
            ConvShape shape = new ConvShape(2, 5, 8, 12, 3, 2);
            ConvBenchmark.Result r = ConvBenchmark.time(shape, Device.cpu(), EnumSet.allOf(Layout.class), 1, 2);
            assertEquals(0, r.maxRelativeError()[Layout.FP32_NCHW.ordinal()]);
            assertTrue(r.maxRelativeError()[Layout.FP32_CHANNELS_LAST.ordinal()] < 1e-5, r.toString());
            for (Layout bf16 : new Layout[] {Layout.BF16_NCHW, Layout.BF16_CHANNELS_LAST}) {
                double e = r.maxRelativeError()[bf16.ordinal()];
                // bfloat16 keeps 8 bits of mantissa: an error of 2^-9 per rounding, well under 2 % after a 45-term sum
                assertTrue(e > 1e-4 && e < 2e-2, bf16 + ": " + e + " (a bf16 convolution differs from float32, a little)");
            }
            for (Layout l : Layout.values()) {
                assertTrue(r.medianMs()[l.ordinal()] > 0, l + " was timed");
            }
            ConvBenchmark.Result some = ConvBenchmark.time(shape, Device.cpu(), EnumSet.of(Layout.BF16_NCHW), 0, 1);
            assertTrue(Double.isNaN(some.medianMs()[Layout.FP32_CHANNELS_LAST.ordinal()]), "a layout not asked for is NaN");
        } finally {
            TorchBackends.setOneDnn(chosen);
        }
    }

    @Test
    void shapesParseAndBadOnesNameTheFormat() {
        assertEquals(new ConvShape(4, 64, 32, 16, 3, 1), ConvShape.parse("4x64x16:32:3"));
        assertEquals(new ConvShape(1, 5, 8, 128, 3, 2), ConvShape.parse(" 1x5x128:8:3:2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvShape.parse("4x64:32"));
        assertTrue(e.getMessage().contains("'4x64:32'") && e.getMessage().contains("BATCHxCHANNELSxSIZE:OUT:KERNEL"),
                e.getMessage());
    }
}
