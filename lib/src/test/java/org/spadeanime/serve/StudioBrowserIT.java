package org.spadeanime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The studio in a real browser: Debian's chromium driven by environment/browser/studio-test.mjs (puppeteer-core)
 * against a server on weights/tiny. Nothing is skipped: without node, chromium or puppeteer-core this fails and
 * says to run environment/install-browser.sh (CI's test.sh runs it before mvn verify).
 */
class StudioBrowserIT {

    @Test
    void paintsPicksAColourAndSeesTheIllustrationFollow() throws Exception {
        Path browser = Path.of("..", "environment", "browser").toAbsolutePath().normalize();
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium) || !Files.isDirectory(browser.resolve("node_modules/puppeteer-core"))) {
            fail("the browser test needs " + chromium + " and " + browser.resolve("node_modules/puppeteer-core")
                    + ": run environment/install-browser.sh");
        }
        Path shots = Path.of("target", "studio-screenshots").toAbsolutePath();
        try (StudioServer server = StudioServer.start(StudioServerTest.TINY, null, "127.0.0.1", 0, "cpu",
                StudioServer.Limits.defaults())) {
            ProcessBuilder pb = new ProcessBuilder("node", browser.resolve("studio-test.mjs").toString(),
                    server.uri().toString(), shots.toString()).redirectErrorStream(true);
            Process p;
            try {
                p = pb.start();
            } catch (java.io.IOException e) {
                throw new AssertionError("cannot run node (" + e.getMessage() + "): run environment/install-browser.sh", e);
            }
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the browser test did not finish within 180 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("studio browser test: ok"), out);
            assertTrue(Files.size(shots.resolve("studio-blue.png")) > 10_000, "screenshots in " + shots);
        }
    }
}
