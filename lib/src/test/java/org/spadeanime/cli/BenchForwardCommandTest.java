package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchForwardCommandTest {

    @Test
    void printsMediansPerPreset() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.run("bench-forward", "--preset", "tiny", "--warmup", "1", "--reps", "3", "--batch", "2");
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, rc, text);
        assertTrue(Pattern.compile("tiny \\(64², ngf 8, ndf 8\\)(\\s+\\d+\\.\\d\\d){7}").matcher(text).find(), text);
        assertTrue(text.contains("batch 2") && text.contains("VmRSS"), text);
    }

    @Test
    void unknownPresetIsAnError() {
        assertEquals(2, Main.run("bench-forward", "--preset", "huge"));
    }
}
