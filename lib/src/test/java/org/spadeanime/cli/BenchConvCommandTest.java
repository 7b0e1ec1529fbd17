package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchConvCommandTest {

    @Test
    void printsARowPerConvolutionAndTheSum() {
        CapturedRun run = CapturedRun.of("bench-conv", "--conv", "1x5x16:8:3,1x8x8:8:3:2", "--warmup", "0", "--reps", "2",
                "--layouts", "BF16_NCHW");
        String text = run.text();
        int rc = run.rc();
        assertEquals(0, rc, text);
        // fp32 ms, then bf16's ratio and error; the layouts not asked for are NaN
        assertTrue(Pattern.compile("1x5x16²→8 k3 d1\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d×\\s+\\d\\.\\de-0\\d\\s+NaN×").matcher(text).find(), text);
        assertTrue(text.contains("1x8x8²→8 k3 d2") && text.contains("all (sum of medians)"), text);
    }

    @Test
    void aBadConvolutionIsAnError() {
        assertEquals(2, Main.run("bench-conv", "--conv", "4x64:32"));
        assertEquals(2, Main.run("bench-conv", "--onednn", "maybe"));
    }
}
