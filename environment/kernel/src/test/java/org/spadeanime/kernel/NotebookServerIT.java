package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classic notebook server on 127.0.0.1 with a token lists the installed kernel, then stops. */
@Tag("jupyter")
class NotebookServerIT {

    @TempDir
    Path work;

    @Test
    void serverListsTheKernelBehindItsToken() throws Exception {
        JupyterHome home = new JupyterHome(work.resolve("jupyter"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        Path log = work.resolve("server.log");
        Process server = home.start(notebooks, log, List.of(JupyterHome.JUPYTER.toString(), "notebook",
                "--no-browser", "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--allow-root",
                "--NotebookApp.token=" + token, "--notebook-dir=" + notebooks));
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port + "/api/kernelspecs";
            HttpResponse<String> listed = waitForServer(http, base + "?token=" + token, server, log);
            assertEquals(200, listed.statusCode(), listed.body());
            JsonObject specs = JsonParser.parseString(listed.body()).getAsJsonObject().getAsJsonObject("kernelspecs");
            assertTrue(specs.has(KernelSpecInstaller.NAME), specs.keySet().toString());
            JsonObject spec = specs.getAsJsonObject(KernelSpecInstaller.NAME).getAsJsonObject("spec");
            assertEquals(KernelSpecInstaller.DISPLAY_NAME, spec.get("display_name").getAsString());
            assertEquals("message", spec.get("interrupt_mode").getAsString());

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, anonymous.statusCode(), "no token, no access");
        } finally {
            server.destroy(); // SIGTERM: the server shuts down without asking
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                fail("the notebook server did not stop on SIGTERM; log:\n" + Files.readString(log));
            }
        }
    }

    /** Waits (60 s at most) until the server answers {@code url}; fails with its log if it exits. */
    static HttpResponse<String> waitForServer(HttpClient http, String url, Process server, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the notebook server exited with " + server.exitValue() + "; log:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                Thread.sleep(200);
            }
        }
        fail("the notebook server did not answer within 60 s; log:\n" + Files.readString(log));
        return null;
    }
}
