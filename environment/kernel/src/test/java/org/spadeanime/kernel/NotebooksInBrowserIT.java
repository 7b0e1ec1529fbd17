package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notebooks 01 and 05 in a real browser: the classic notebook server on 127.0.0.1 with a token, and
 * environment/browser/notebooks-test.mjs driving Debian's headless chromium through it (run all, live
 * redraws, Stop and exact resume, Restart, Tab completion, Shift-Tab inspect). Screenshots of each step
 * go to target/browser-screenshots. The notebooks run as copies, so the UI never saves outputs into them.
 */
@Tag("jupyter")
class NotebooksInBrowserIT {

    @TempDir
    Path work;

    @Test
    void notebooksRunInChromium() throws Exception {
        Path root = BuildPaths.projectRoot();
        Path browser = root.resolve("environment/browser");
        Path node = Path.of("/usr/bin/node");
        if (!Files.isExecutable(node) || !Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                || !Files.isDirectory(browser.resolve("node_modules/puppeteer-core"))) {
            fail("the browser test needs node, Debian's chromium and puppeteer-core: run environment/install-browser.sh"
                    + " (CI's environment/test.sh does)");
        }
        JupyterHome home = new JupyterHome(work.resolve("jupyter"));
        // The notebooks find the library at ../lib and write to ../build: a copy of notebooks/ beside links.
        Path served = Files.createDirectories(work.resolve("served"));
        Path notebooks = Files.createDirectories(served.resolve("notebooks"));
        for (String name : List.of("01-data-and-labels.ipynb", "05-training.ipynb")) {
            Files.copy(root.resolve("notebooks").resolve(name), notebooks.resolve(name));
        }
        for (String linked : List.of("lib", "weights", "data")) {
            if (Files.exists(root.resolve(linked))) {
                Files.createSymbolicLink(served.resolve(linked), root.resolve(linked));
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path log = work.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(JupyterHome.JUPYTER.toString(), "notebook", "--no-browser",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--allow-root", "--NotebookApp.token=" + token,
                "--notebook-dir=" + served).directory(served.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(home.environment());
        // tiny and few steps: the first training cell runs long enough to be stopped, the test stays short
        pb.environment().putAll(Map.of("SPADE_PRESET", "tiny", "MAX_STEPS", "60"));
        Process server = pb.start();
        Path shots = Path.of("target/browser-screenshots").toAbsolutePath();
        try {
            NotebookServerIT.waitForServer(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/api/status?token=" + token,
                    server, log);
            JupyterHome.Result r = home.run(browser, Duration.ofMinutes(20), Map.of(
                    "NOTEBOOK_URL", "http://127.0.0.1:" + port, "NOTEBOOK_TOKEN", token,
                    "SCREENSHOTS", shots.toString()), List.of(node.toString(), "notebooks-test.mjs"));
            System.out.printf("notebooks-test.mjs took %.1f s:%n%s%n", r.time().toMillis() / 1000.0, r.output());
            assertEquals(0, r.exitCode(), r.output() + "\nserver log:\n" + Files.readString(log));
            assertTrue(r.output().contains("all checks passed"), r.output());
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
