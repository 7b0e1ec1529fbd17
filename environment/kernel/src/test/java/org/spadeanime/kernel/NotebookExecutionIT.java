package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes src/test/resources/notebooks/kernel-features.ipynb with {@code /usr/bin/jupyter nbconvert
 * --execute} and the packaged kernel installed into a temporary Jupyter folder, then checks the saved
 * notebook cell by cell. The notebook sits in a notebooks/ folder next to lib/target/lib, as the kit's
 * notebooks do, so it loads the library with {@code %jars ../lib/target/lib/*.jar}.
 */
@Tag("jupyter")
class NotebookExecutionIT {

    private static final Path RESOURCES = Path.of("src/test/resources/notebooks");

    @TempDir
    static Path work;

    /** The executed notebook's cells by id. */
    private static final Map<String, JsonObject> cells = new HashMap<>();

    @BeforeAll
    static void execute() throws Exception {
        JupyterHome home = new JupyterHome(work.resolve("jupyter"));
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(RESOURCES.resolve("kernel-features.ipynb"), notebooks.resolve("kernel-features.ipynb"));
        Files.createDirectories(work.resolve("lib/target"));
        Files.createSymbolicLink(work.resolve("lib/target/lib"), BuildPaths.libJars());
        JupyterHome.Result r = home.run(notebooks, Duration.ofMinutes(5), Map.of(), List.of(
                JupyterHome.JUPYTER.toString(), "nbconvert", "--to", "notebook", "--execute",
                "--config", RESOURCES.resolve("nbconvert-config.py").toAbsolutePath().toString(),
                "--ExecutePreprocessor.kernel_name=" + KernelSpecInstaller.NAME,
                "--output-dir", work.resolve("executed").toString(), "kernel-features.ipynb"));
        assertEquals(0, r.exitCode(), "nbconvert failed:\n" + r.output());
        System.out.printf("kernel-features.ipynb: nbconvert --execute took %.1f s (3 s of it waiting to interrupt a loop)%n",
                r.time().toMillis() / 1000.0);
        JsonObject nb = JsonParser.parseString(Files.readString(work.resolve("executed/kernel-features.ipynb")))
                .getAsJsonObject();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            cells.put(c.getAsJsonObject().get("id").getAsString(), c.getAsJsonObject());
        }
    }

    @AfterAll
    static void unlinkTheLibrary() throws Exception {
        Files.deleteIfExists(work.resolve("lib/target/lib")); // the link only, before JUnit removes the folder
    }

    @Test
    void printGoesToStdout() {
        assertEquals(List.of("stdout: hello from the kernel\n"), streams("print"));
    }

    @Test
    void aClassDefinedInOneCellIsUsedInTheNext() {
        assertEquals("2", result("class-use"));
    }

    @Test
    void compileErrorPointsAtTheCellLine() {
        JsonObject error = single("compile-error", "error");
        assertEquals("CompileError", error.get("ename").getAsString());
        assertTrue(error.get("evalue").getAsString().startsWith("line 3: bad operand types for binary operator '*'"),
                error.get("evalue").getAsString());
        List<String> tb = strings(error.getAsJsonArray("traceback"));
        assertTrue(tb.get(0).matches("compile error, In \\[\\d+] line 3, column 14:"), tb.get(0));
        assertEquals(List.of("    int broken = s * 2;", "                 ^^^^^"), tb.subList(1, 3));
    }

    @Test
    void runtimeExceptionShowsTheThrowingLine() {
        JsonObject error = single("runtime-error", "error");
        assertEquals("java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3",
                error.get("evalue").getAsString());
        List<String> tb = strings(error.getAsJsonArray("traceback"));
        assertTrue(tb.get(1).matches(" {4}at In \\[\\d+] line 4"), tb.toString());
    }

    @Test
    void displayedImageIsPngBetweenTheLinesPrintedAroundIt() throws Exception {
        List<String> order = outputs("image").stream().map(o -> o.get("output_type").getAsString()).toList();
        assertEquals(List.of("stream", "display_data", "stream"), order, "print without newline is flushed before display");
        assertEquals(List.of("stdout: drawing... ", "stdout: done\n"), streams("image"));
        BufferedImage img = png(single("image", "display_data"));
        assertEquals(32, img.getWidth());
        assertEquals(16, img.getHeight());
        assertEquals(0xff0000, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0000ff, img.getRGB(31, 15) & 0xffffff);
    }

    @Test
    void updatedDisplaysKeepTheirFinalFrame() throws Exception {
        List<JsonObject> outputs = outputs("live-frames");
        assertEquals(2, outputs.size(), "one output per display, updated in place: " + outputs);
        assertEquals("frame 5", text(outputs.get(0).getAsJsonObject("data").get("text/plain")));
        assertEquals(15, png(outputs.get(1)).getWidth());
    }

    @Test
    void everyPngOutputIsACompleteFile() throws Exception {
        int checked = 0;
        for (JsonObject cell : cells.values()) {
            if (!cell.has("outputs")) {
                continue;
            }
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject data = o.getAsJsonObject().getAsJsonObject("data");
                if (data != null && data.has("image/png")) {
                    String problem = PngCheck.problem(text(data.get("image/png")));
                    assertNull(problem, "cell " + cell.get("id") + ": image/png output: " + problem);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 3, "the image, the live frame and the chart: " + checked);
    }

    @Test
    void jarsMagicLoadsTheLibrary() {
        assertEquals("1536 values, first red 1.0, last blue 1.0", result("jars"));
    }

    @Test
    void tablesawTableIsHtmlWithHeadAndTail() {
        String html = text(single("tablesaw", "execute_result").getAsJsonObject("data").get("text/html"));
        assertTrue(html.contains("<caption>losses (30 rows, 2 columns)</caption>"), html);
        assertTrue(html.contains("<th>step</th><th>g_loss</th>"), html);
        assertEquals(21, count(html, "<tr><td>"), "10 head rows, an ellipsis row, 10 tail rows");
        assertTrue(html.contains("<tr><td>0</td><td>1</td></tr>") && html.contains("<tr><td>29</td>"), html);
        assertFalse(html.contains("<tr><td>15</td>"), "the middle is cut");
    }

    @Test
    void ndarrayIsASummary() {
        assertEquals("NDArray shape=(2, 3) float32 cpu() min=1.00000 max=6.00000 mean=3.50000", result("ndarray"));
    }

    @Test
    void xchartIsPng() throws Exception {
        BufferedImage img = png(single("chart", "execute_result"));
        assertEquals(320, img.getWidth());
        assertEquals(200, img.getHeight());
    }

    @Test
    void interruptStopsTheLoopAndTheNextCellRunsOnTheSameState() {
        JsonObject error = single("interrupt", "error");
        assertEquals("CellInterrupted", error.get("ename").getAsString());
        Matcher m = Pattern.compile("stdout: still running after (\\d+) steps\n").matcher(streams("after-interrupt").get(0));
        assertTrue(m.matches(), streams("after-interrupt").toString());
        assertTrue(Long.parseLong(m.group(1)) > 0, "the loop ran");
        // stopped between two statements: the counter moved exactly once per counted step
        assertEquals("3", result("after-interrupt"));
    }

    @Test
    void nothingIsWrittenToStderr() {
        // DJL's "Failed to detect GPU count" warning and SLF4J's set-up notes stay out of the notebook.
        for (Map.Entry<String, JsonObject> c : cells.entrySet()) {
            for (String s : streamsOf(c.getValue())) {
                assertFalse(s.startsWith("stderr:"), c.getKey() + ": " + s);
            }
        }
    }

    private static List<JsonObject> outputs(String id) {
        List<JsonObject> out = new ArrayList<>();
        cells.get(id).getAsJsonArray("outputs").forEach(o -> out.add(o.getAsJsonObject()));
        return out;
    }

    /** The one output of this type in the cell. */
    private static JsonObject single(String id, String type) {
        List<JsonObject> matching = outputs(id).stream().filter(o -> o.get("output_type").getAsString().equals(type)).toList();
        assertEquals(1, matching.size(), id + ": " + outputs(id));
        return matching.get(0);
    }

    private static String result(String id) {
        return text(single(id, "execute_result").getAsJsonObject("data").get("text/plain"));
    }

    private static List<String> streams(String id) {
        return streamsOf(cells.get(id));
    }

    private static List<String> streamsOf(JsonObject cell) {
        List<String> out = new ArrayList<>();
        if (!cell.has("outputs")) {
            return out; // markdown
        }
        for (JsonElement o : cell.getAsJsonArray("outputs")) {
            JsonObject obj = o.getAsJsonObject();
            if (obj.get("output_type").getAsString().equals("stream")) {
                out.add(obj.get("name").getAsString() + ": " + text(obj.get("text")));
            }
        }
        return out;
    }

    private static BufferedImage png(JsonObject output) throws Exception {
        String base64 = text(output.getAsJsonObject("data").get("image/png")).replace("\n", "");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    /** nbformat stores text as a string or a list of lines. */
    private static String text(JsonElement e) {
        return e.isJsonArray() ? String.join("", strings(e.getAsJsonArray())) : e.getAsString();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
