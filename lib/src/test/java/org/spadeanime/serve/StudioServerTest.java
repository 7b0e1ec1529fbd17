package org.spadeanime.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.Png;

/** The studio's API on a real server (weights/tiny, an ephemeral loopback port). */
class StudioServerTest {

    /** The shipped tiny weights (tests run in lib/). */
    static final Path TINY = Path.of("..", "weights", "tiny");

    static StudioServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = StudioServer.start(TINY, null, "127.0.0.1", 0, "cpu",
                new StudioServer.Limits(64 << 10, 2, 20_000, 0.05));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpRequest post(String path, byte[] body) {
        return HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return JsonParser.parseString(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static byte[] example(int seed) throws Exception {
        HttpResponse<byte[]> r = get("api/example?seed=" + seed);
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void servesLoopbackPageAndPalette() throws Exception {
        assertEquals("127.0.0.1", server.uri().getHost());
        HttpResponse<byte[]> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body()).contains("studio.js"));
        assertEquals(200, get("studio.js").statusCode());
        JsonObject p = json(get("api/palette"));
        assertEquals(5, p.getAsJsonArray("classes").size());
        assertEquals("#0000FF", p.getAsJsonArray("classes").get(2).getAsJsonObject().get("color").getAsString());
        JsonObject o = json(get("api/options"));
        assertEquals(64, o.get("resolution").getAsInt());
        assertTrue(o.get("examples").getAsBoolean());
        assertEquals(404, get("nothing.html").statusCode());
        assertEquals(404, get("../pom.xml").statusCode());
        assertEquals(405, send(post("api/palette", new byte[1])).statusCode());
    }

    @Test
    void generatesDeterministicallyPerSeedWithTiming() throws Exception {
        byte[] label = example(7);
        assertArrayEquals(label, example(7), "a random example is a pure function of its seed");
        HttpResponse<byte[]> a = send(post("api/generate?seed=3&hair=%23C03030", label));
        assertEquals(200, a.statusCode(), () -> new String(a.body()));
        BufferedImage img = Png.decode(a.body(), Path.of("response"));
        assertEquals(64, img.getWidth());
        assertTrue(Double.parseDouble(a.headers().firstValue("X-Generation-Millis").orElseThrow()) > 0);
        assertEquals("#C03030", a.headers().firstValue("X-Hair-Colour").orElseThrow());
        assertArrayEquals(a.body(), send(post("api/generate?seed=3&hair=C03030", label)).body());
        assertFalse(Arrays.equals(a.body(), send(post("api/generate?seed=4&hair=C03030", label)).body()),
                "another noise seed draws another picture");
        assertFalse(Arrays.equals(a.body(), send(post("api/generate?seed=3&hair=3030C0", label)).body()),
                "another hair colour draws another picture");
    }

    @Test
    void refusesBadInputWithClearJson() throws Exception {
        HttpResponse<byte[]> junk = send(post("api/generate", "not a png".getBytes()));
        assertEquals(400, junk.statusCode());
        assertTrue(json(junk).get("error").getAsString().contains("not a readable PNG"), json(junk).toString());

        HttpResponse<byte[]> size = send(post("api/generate", Png.encode(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB))));
        assertEquals(400, size.statusCode());
        assertTrue(json(size).get("error").getAsString().contains("expected a square PNG of the model's resolution 64×64"));

        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                grey.setRGB(x, y, x < 8 ? 0xFFFF00 : 0x808080); // threshold rule: grey is (1,1,1) = no class
            }
        }
        HttpResponse<byte[]> off = send(post("api/generate", Png.encode(grey)));
        assertEquals(422, off.statusCode());
        assertTrue(json(off).get("unmatchedFraction").getAsDouble() > 0.8);
        assertTrue(json(off).get("error").getAsString().contains("in no palette colour"));

        assertEquals(413, send(post("api/generate", new byte[(64 << 10) + 1])).statusCode());
        assertEquals(400, send(post("api/generate?seed=x", example(1))).statusCode());
        assertEquals(400, send(post("api/generate?hair=red", example(1))).statusCode());
        assertEquals(400, send(post("api/generate", new byte[0])).statusCode());
        assertEquals(405, get("api/generate").statusCode());
    }

    @Test
    void aCustomPaletteDrivesTheClassesAndATimeoutAnswers504(@TempDir Path tmp) throws Exception {
        Path weights = Files.createDirectories(tmp.resolve("tiny"));
        try (var files = Files.list(TINY)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, weights.resolve(f.getFileName()));
            }
        }
        Files.writeString(weights.resolve("palette.json"), "{\"classes\": [{\"name\": \"iris\", \"color\": \"#FF0000\"},"
                + " {\"name\": \"skin\", \"color\": \"#00FF00\"}, {\"name\": \"hair\", \"color\": \"#0000FF\"},"
                + " {\"name\": \"clothes\", \"color\": \"#00FFFF\"}, {\"name\": \"background\", \"color\": \"#FFFFFF\"}]}");
        try (StudioServer s = StudioServer.start(weights, null, "127.0.0.1", 0, "cpu",
                new StudioServer.Limits(1 << 20, 2, 1, 0.05))) {
            HttpResponse<byte[]> p = HTTP.send(HttpRequest.newBuilder(s.uri().resolve("api/palette")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("[iris, skin, hair, clothes, background]", json(p).getAsJsonArray("classes").asList().stream()
                    .map(e -> e.getAsJsonObject().get("name").getAsString()).toList().toString());
            HttpResponse<byte[]> ex = HTTP.send(HttpRequest.newBuilder(s.uri().resolve("api/example")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(409, ex.statusCode(), "synthetic examples are in the anime palette only");
            BufferedImage white = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    white.setRGB(x, y, y < 20 ? 0x0000FF : 0xFFFFFF);
                }
            }
            HttpResponse<byte[]> slow = HTTP.send(HttpRequest.newBuilder(s.uri().resolve("api/generate"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Png.encode(white))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(504, slow.statusCode(), "a 1 ms limit cannot hold a forward pass");
            assertTrue(json(slow).get("error").getAsString().contains("within 1 ms"));
        }
    }

    @Test
    void queuesConcurrentRequestsAndRefusesBeyondTheQueue() throws Exception {
        byte[] label = example(2);
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(HTTP.sendAsync(post("api/generate?seed=" + i, label), HttpResponse.BodyHandlers.ofByteArray()));
            }
            int ok = 0;
            for (var f : all) {
                HttpResponse<byte[]> r = f.get();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 503, "status " + r.statusCode());
                if (r.statusCode() == 200) {
                    ok++;
                    Png.decode(r.body(), Path.of("response"));
                } else {
                    assertTrue(json(r).get("error").getAsString().startsWith("busy"));
                    assertEquals("1", r.headers().firstValue("Retry-After").orElseThrow());
                }
            }
            assertTrue(ok >= 3, "the running and the queued generations are answered, got " + ok);
        }
        assertEquals(200, send(post("api/generate", label)).statusCode(), "the server still answers afterwards");
    }
}
