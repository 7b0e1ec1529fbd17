package org.spadeanime.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.Sample;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelClass;
import org.spadeanime.label.LabelMap;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.infer.Sampler;
import org.spadeanime.train.TrainedGenerator;

/**
 * The web studio: paint a label map in the browser, see the generator's illustration. One static page
 * and a small API on the JDK's {@link HttpServer} (no dependency, loopback by default):
 * <pre>
 *   GET  /                      the page (index.html, studio.js, studio.css from the jar)
 *   GET  /api/palette           the classes (name, colour, one-hot channel) and the hair class
 *   GET  /api/options           the model options, resolution, step, limits
 *   GET  /api/example?seed=N    a synthetic label PNG (anime palette only); X-Hair-Colour: its hair colour
 *   POST /api/generate?seed=N&amp;hair=RRGGBB   body: a square label PNG → the generated PNG;
 *                               X-Generation-Millis, X-Queue-Millis, X-Seed, X-Hair-Colour headers
 * </pre>
 * Generations run one at a time on one thread (the generator and the engine's seeded RNG are shared), with
 * a bounded queue: a full queue answers 503, a request over the body limit 413, one that waits and runs
 * longer than the timeout 504, bad input 400 / 422 — all with a JSON {@code {"error": ...}}.
 */
public final class StudioServer implements AutoCloseable {

    /** The limits of one server. */
    public record Limits(int maxBodyBytes, int queue, long timeoutMillis, double maxUnmatched) {
        public static Limits defaults() {
            return new Limits(4 << 20, 8, 30_000, 0.05);
        }
    }

    private static final String STATIC = "/org/spadeanime/serve/static/";
    private static final int MAX_SIDE = 1024;

    private final HttpServer http;
    private final ExecutorService handlers;
    private final ThreadPoolExecutor generations;
    private final NDManager manager;
    private final SpadeGenerator generator;
    private final TrainedGenerator trained;
    private final LabelPalette palette;
    private final Limits limits;

    private StudioServer(HttpServer http, NDManager manager, SpadeGenerator generator, TrainedGenerator trained,
                         LabelPalette palette, Limits limits) {
        this.http = http;
        this.manager = manager;
        this.generator = generator;
        this.trained = trained;
        this.palette = palette;
        this.limits = limits;
        this.generations = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, limits.queue())), r -> daemon(r, "studio-generator"));
        // Enough handler threads to park every queued request plus a few static/palette requests.
        this.handlers = Executors.newFixedThreadPool(limits.queue() + 4, r -> daemon(r, "studio-http"));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts a server for the generator in {@code from} (a weights, run or checkpoint folder) on
     * {@code host:port} (port 0: any free one). {@code palette} null: the weights folder's palette.json,
     * else the run's data folder's (relative data folders resolved against the working directory), else the
     * anime palette.
     */
    public static StudioServer start(Path from, LabelPalette palette, String host, int port, String device,
                                     Limits limits) throws IOException {
        TrainedGenerator t = TrainedGenerator.locate(from, new java.util.ArrayList<>());
        LabelPalette p = palette != null ? palette : findPalette(from, t);
        NDManager manager = NDManager.newBaseManager(DjlRuntime.device(device));
        try {
            SpadeGenerator g = t.load(manager);
            if (g.options().numClasses() != p.channels() || !p.hasHair()) {
                throw new BadInputException(from, "the generator has " + g.options().numClasses()
                        + " label classes, the palette " + p + " has " + p.channels()
                        + (p.hasHair() ? "" : " and no 'hair' class") + "; pass a matching --palette");
            }
            HttpServer http;
            try {
                http = HttpServer.create(new InetSocketAddress(host, port), 0);
            } catch (java.net.BindException e) {
                throw new java.net.BindException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "): choose another --port, or 0 for any free one");
            }
            StudioServer s = new StudioServer(http, manager, g, t, p, limits);
            http.start();
            return s;
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static LabelPalette findPalette(Path from, TrainedGenerator t) throws IOException {
        for (Path f : List.of(from.resolve(AnimeDataset.PALETTE_FILE),
                t.data(Path.of("")).resolve(AnimeDataset.PALETTE_FILE))) {
            if (Files.isRegularFile(f)) {
                return LabelPalette.load(f);
            }
        }
        return LabelPalette.anime();
    }

    /** The address the page is served at, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    public LabelPalette palette() {
        return palette;
    }

    public TrainedGenerator trained() {
        return trained;
    }

    /** A 4xx/5xx answer: status and message. */
    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonObject extra;

        HttpError(int status, String message) {
            this(status, message, null);
        }

        HttpError(int status, String message, JsonObject extra) {
            super(message);
            this.status = status;
            this.extra = extra;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                switch (path) {
                    case "/api/palette" -> json(ex, 200, paletteJson(), method, "GET");
                    case "/api/options" -> json(ex, 200, optionsJson(), method, "GET");
                    case "/api/example" -> {
                        requireMethod(method, "GET");
                        example(ex);
                    }
                    case "/api/generate" -> {
                        requireMethod(method, "POST");
                        generate(ex);
                    }
                    default -> staticFile(ex, path, method);
                }
            } catch (HttpError e) {
                JsonObject o = e.extra != null ? e.extra : new JsonObject();
                o.addProperty("error", e.getMessage());
                o.addProperty("status", e.status);
                if (e.status == 503) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                }
                send(ex, e.status, "application/json; charset=utf-8", o.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void requireMethod(String method, String expected) throws HttpError {
        if (!method.equals(expected)) {
            throw new HttpError(405, "method " + method + " not allowed here (expected " + expected + ")");
        }
    }

    private static void json(HttpExchange ex, int status, JsonObject o, String method, String expected)
            throws HttpError, IOException {
        requireMethod(method, expected);
        send(ex, status, "application/json; charset=utf-8", o.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void staticFile(HttpExchange ex, String path, String method) throws IOException, HttpError {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js")
                ? "text/javascript; charset=utf-8" : name.endsWith(".css") ? "text/css; charset=utf-8" : null;
        if (type == null || name.contains("/") || name.contains("..")) {
            throw new HttpError(404, "no such page: " + path + " (the studio is at /, its API under /api/)");
        }
        try (InputStream in = StudioServer.class.getResourceAsStream(STATIC + name)) {
            if (in == null) {
                throw new HttpError(404, "no such page: " + path);
            }
            requireMethod(method, "GET");
            send(ex, 200, type, in.readAllBytes());
        }
    }

    JsonObject paletteJson() {
        JsonObject o = new JsonObject();
        JsonArray classes = new JsonArray();
        for (LabelClass c : palette.all()) {
            JsonObject k = new JsonObject();
            k.addProperty("name", c.name());
            k.addProperty("color", c.hex());
            k.addProperty("channel", palette.channel(c.name()));
            classes.add(k);
        }
        o.add("classes", classes);
        o.addProperty("background", palette.background().name());
        o.addProperty("hair", LabelPalette.HAIR);
        o.addProperty("match", palette.match().name().toLowerCase(Locale.ROOT));
        return o;
    }

    JsonObject optionsJson() {
        JsonObject o = new JsonObject();
        o.addProperty("resolution", generator.options().resolution());
        o.addProperty("step", trained.step());
        o.addProperty("source", trained.source());
        o.add("model", generator.options().toJsonTree());
        o.addProperty("examples", palette.equals(LabelPalette.anime()));
        JsonObject l = new JsonObject();
        l.addProperty("maxBodyBytes", limits.maxBodyBytes());
        l.addProperty("queue", limits.queue());
        l.addProperty("timeoutMillis", limits.timeoutMillis());
        l.addProperty("maxUnmatched", limits.maxUnmatched());
        o.add("limits", l);
        return o;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    q.put(kv.substring(0, i), java.net.URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static int seed(Map<String, String> q) throws HttpError {
        String s = q.getOrDefault("seed", "1");
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "seed '" + s + "': expected an integer");
        }
    }

    /** The hair colour of {@code hair=RRGGBB} (with or without '#'), or one drawn from the seed. */
    private static int hair(Map<String, String> q, int seed) throws HttpError {
        String h = q.get("hair");
        if (h == null || h.isBlank()) {
            return new java.util.Random(seed).nextInt(0x1000000);
        }
        String v = h.trim().startsWith("#") ? h.trim().substring(1) : h.trim();
        if (!v.matches("[0-9a-fA-F]{6}")) {
            throw new HttpError(400, "hair '" + h + "': expected a colour RRGGBB or #RRGGBB");
        }
        return Integer.parseInt(v, 16);
    }

    private void example(HttpExchange ex) throws IOException, HttpError {
        if (!palette.equals(LabelPalette.anime())) {
            throw new HttpError(409, "random examples are synthetic busts in the anime palette; this model's palette is "
                    + palette);
        }
        int seed = seed(query(ex));
        var s = new SyntheticAnime(generator.options().resolution()).render(seed, 0);
        ex.getResponseHeaders().set("X-Hair-Colour", String.format(Locale.ROOT, "#%06X", s.hairRgb()));
        send(ex, 200, "image/png", Png.encode(s.label()));
    }

    private byte[] readBody(HttpExchange ex) throws IOException, HttpError {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && Long.parseLong(length.trim()) > limits.maxBodyBytes()) {
            throw new HttpError(413, "request body of " + length + " bytes is over the limit of "
                    + limits.maxBodyBytes() + " bytes (a label PNG is a few kB)");
        }
        byte[] body = ex.getRequestBody().readNBytes(limits.maxBodyBytes() + 1);
        if (body.length > limits.maxBodyBytes()) {
            throw new HttpError(413, "request body is over the limit of " + limits.maxBodyBytes() + " bytes");
        }
        if (body.length == 0) {
            throw new HttpError(400, "empty request body: expected a label PNG");
        }
        return body;
    }

    /** The label of an upload at the model's resolution; 400 for unreadable or misshapen PNGs, 422 off palette. */
    LabelMap label(byte[] png) throws HttpError {
        int r = generator.options().resolution();
        BufferedImage img;
        try {
            img = Png.decode(png, Path.of("the uploaded label"));
        } catch (IOException e) {
            throw new HttpError(400, e.getMessage());
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (w != h || w % r != 0 || w > MAX_SIDE) {
            throw new HttpError(400, "the uploaded label is " + w + "×" + h + ": expected a square PNG of the model's"
                    + " resolution " + r + "×" + r + " (or a whole multiple of it, up to " + MAX_SIDE + ")");
        }
        LabelMap full = palette.codec().decode(img);
        if (full.matched() == 0 || full.unmatchedFraction() > limits.maxUnmatched()) {
            JsonObject extra = new JsonObject();
            extra.addProperty("unmatchedFraction", full.unmatchedFraction());
            throw new HttpError(422, String.format(Locale.ROOT, "%.1f %% of the label's pixels are in no palette colour"
                    + " (at most %.1f %% allowed); expected the colours %s", 100 * full.unmatchedFraction(),
                    100 * limits.maxUnmatched(), palette.all()), extra);
        }
        return full.resized(r, r);
    }

    private void generate(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> q = query(ex);
        int seed = seed(q);
        int hair = hair(q, seed);
        LabelMap label = label(readBody(ex));
        long[] started = new long[1];
        long submitted = System.nanoTime();
        Future<byte[]> job;
        try {
            job = generations.submit(() -> {
                started[0] = System.nanoTime();
                return draw(label, hair, seed);
            });
        } catch (RejectedExecutionException e) {
            throw new HttpError(503, "busy: " + limits.queue() + " generations are already waiting; retry shortly");
        }
        byte[] png;
        try {
            png = job.get(limits.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel(false);
            throw new HttpError(504, "the generation did not finish within " + limits.timeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is stopping");
        } catch (ExecutionException e) {
            throw new HttpError(500, "generation failed: " + e.getCause());
        }
        long done = System.nanoTime();
        var headers = ex.getResponseHeaders();
        headers.set("X-Generation-Millis", millis(done - started[0]));
        headers.set("X-Queue-Millis", millis(started[0] - submitted));
        headers.set("X-Seed", Integer.toString(seed));
        headers.set("X-Hair-Colour", String.format(Locale.ROOT, "#%06X", hair));
        headers.set("Access-Control-Expose-Headers", "X-Generation-Millis, X-Queue-Millis, X-Seed, X-Hair-Colour");
        send(ex, 200, "image/png", png);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** G(label, hair colour) as PNG bytes; on the generation thread only. */
    private byte[] draw(LabelMap label, int hairRgb, int seed) throws IOException {
        int plane = label.width() * label.height();
        Sample s = new Sample("studio", label, new float[3 * plane], null, -1, false)
                .withHairColour(hairRgb, palette.hairChannel());
        BufferedImage out;
        try (NDManager m = manager.newSubManager()) {
            Batch b = Batch.of(List.of(s), m);
            NDArray fake = Sampler.generate(generator, b.label(), b.condition(), Sampler.Mode.DEFAULT, seed);
            out = ImageTensors.toImage(fake.get(0), -1f, 1f);
        }
        return Png.encode(out);
    }

    /** Stops serving (at most a second for open exchanges), the generation thread, and frees the generator. */
    @Override
    public void close() {
        http.stop(1);
        generations.shutdownNow();
        handlers.shutdownNow();
        try {
            generations.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.close();
    }
}
