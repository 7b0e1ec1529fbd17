package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchForwardCommandTest {

    @Test
    void printsMediansPerPreset() {
        CapturedRun run = CapturedRun.of("bench-forward", "--preset", "tiny", "--warmup", "1", "--reps", "3", "--batch", "2");
        String text = run.text();
        int rc = run.rc();
        assertEquals(0, rc, text);
        assertTrue(Pattern.compile("tiny \\(64², ngf 8, ndf 8\\)(\\s+\\d+\\.\\d\\d){7}").matcher(text).find(), text);
        assertTrue(text.contains("batch 2") && text.contains("VmRSS"), text);
    }

    @Test
    void unknownPresetIsAnError() {
        assertEquals(2, Main.run("bench-forward", "--preset", "huge"));
    }
}
