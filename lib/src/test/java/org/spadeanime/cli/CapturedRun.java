package org.spadeanime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A CLI command run in this JVM with its standard output captured (and echoed to the test log). */
record CapturedRun(int rc, String text) {

    static CapturedRun of(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.run(args);
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return new CapturedRun(rc, text);
    }
}
