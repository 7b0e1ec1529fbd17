package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as a notebook front end sees it, driven over the Jupyter protocol by jupyter_client
 * (src/test/resources/kernel_protocol_check.py): live output, one message per printf, completion, is-complete, inspect,
 * interrupt of a sleeping cell, and a clean shutdown.
 */
@Tag("jupyter")
class KernelProtocolIT {

    @TempDir
    static Path work;

    private static JsonObject seen;

    @BeforeAll
    static void talkToTheKernel() throws Exception {
        JupyterHome home = new JupyterHome(work.resolve("jupyter"));
        JupyterHome.Result r = home.run(work, Duration.ofMinutes(3), Map.of(), List.of("/usr/bin/python3",
                Path.of("src/test/resources/kernel_protocol_check.py").toAbsolutePath().toString(), KernelSpecInstaller.NAME));
        assertEquals(0, r.exitCode(), r.output());
        String json = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        seen = JsonParser.parseString(json).getAsJsonObject();
    }

    @Test
    void kernelInfoNamesTheKernelAndJava() {
        assertEquals("spade-java", seen.getAsJsonObject("kernel_info").get("implementation").getAsString());
        assertEquals("java", seen.getAsJsonObject("kernel_info").get("language").getAsString());
    }

    @Test
    void committedNotebooksCarryTheKernelsLanguageInfoSoOpeningOneChangesNothing() throws Exception {
        // the notebook server copies kernel_info's language_info into the notebook and marks it
        // "(unsaved changes)" when it differs from what was saved
        JsonObject info = seen.getAsJsonObject("kernel_info").getAsJsonObject("language_info");
        assertEquals("ok", seen.getAsJsonObject("kernel_info").get("status").getAsString());
        List<Path> notebooks;
        try (var files = Files.list(BuildPaths.projectRoot().resolve("notebooks"))) {
            notebooks = files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 7, notebooks.toString());
        for (Path nb : notebooks) {
            JsonObject metadata = JsonParser.parseString(Files.readString(nb)).getAsJsonObject().getAsJsonObject("metadata");
            assertEquals(info, metadata.getAsJsonObject("language_info"), nb + ": metadata.language_info");
        }
    }

    @Test
    void outputArrivesWhileTheCellRuns() {
        // [seconds, type, text]: "step 1 of 2 " (no newline) is printed, the cell sleeps 1.5 s, prints "step 2"
        double step1 = -1;
        double step2 = -1;
        for (var e : seen.getAsJsonArray("live")) {
            JsonArray m = e.getAsJsonArray();
            if (m.get(1).getAsString().equals("stream")) {
                String text = m.get(2).getAsString();
                step1 = text.startsWith("step 1") ? m.get(0).getAsDouble() : step1;
                step2 = text.startsWith("step 2") ? m.get(0).getAsDouble() : step2;
            }
        }
        assertTrue(step1 >= 0 && step2 >= 0, seen.get("live").toString());
        assertTrue(step2 - step1 > 0.75, "the first line arrived while the cell slept: " + seen.get("live"));
    }

    @Test
    void onePrintfIsOneStreamMessageNotOnePerPiece() {
        // JJava's System.out sends a message per write; the saved notebook would hold a fragment per piece
        assertEquals("[\"one printf, 3 pieces\\n\"]", seen.getAsJsonArray("printf").toString());
    }

    @Test
    void completionOffersMethodsOfAVariableFromAnEarlierCell() {
        JsonObject c = seen.getAsJsonObject("complete");
        assertTrue(c.getAsJsonArray("matches").toString().contains("\"toUpperCase(\""), c.toString());
        assertEquals("int n = 1;\ngreeting.".length(), c.get("cursor_start").getAsInt());
        assertEquals("int n = 1;\ngreeting.toUpp".length(), c.get("cursor_end").getAsInt());
    }

    @Test
    void isCompleteTellsAConsoleWhetherToRunOrIndent() {
        JsonObject c = seen.getAsJsonObject("is_complete");
        assertEquals("complete", c.getAsJsonObject("int a = 1;").get("status").getAsString());
        assertEquals("incomplete", c.getAsJsonObject("for (int i = 0; i < 3; i++) {").get("status").getAsString());
        assertEquals("    ", c.getAsJsonObject("for (int i = 0; i < 3; i++) {").get("indent").getAsString());
        assertEquals("invalid", c.getAsJsonObject("int x = ;)").get("status").getAsString());
    }

    @Test
    void inspectShowsTheSignature() {
        JsonObject c = seen.getAsJsonObject("inspect");
        assertTrue(c.get("found").getAsBoolean(), c.toString());
        assertEquals("int String.length()", c.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void interruptEndsASleepingCellAndTheKernelGoesOn() {
        JsonObject c = seen.getAsJsonObject("interrupt");
        assertEquals("error", c.get("reply").getAsString());
        assertEquals("[\"CellInterrupted\"]", c.getAsJsonArray("errors").toString());
        assertTrue(c.get("seconds").getAsDouble() < 10, "interrupted after 1 s, not after the 60 s sleep: " + c);
        assertEquals("ok", seen.get("after_interrupt").getAsString());
    }

    @Test
    void clearOutputWithWaitClearsBeforeTheNextOutput() {
        assertEquals("[[\"stream\",\"old frame\\n\"],[\"clear_output\",true],[\"stream\",\"new frame\\n\"]]",
                seen.getAsJsonArray("clear_output").toString());
    }

    @Test
    void doubleQuestionMarkPagesTheDocumentation() {
        JsonArray payload = seen.getAsJsonArray("pager");
        assertEquals(1, payload.size(), payload.toString());
        assertEquals("page", payload.get(0).getAsJsonObject().get("source").getAsString());
        assertTrue(payload.get(0).getAsJsonObject().getAsJsonObject("data").get("text/plain").getAsString()
                .startsWith("int String.length()"), payload.toString());
    }

    @Test
    void commInfoAndHistoryAreAnswered() {
        assertEquals("{\"status\":\"ok\",\"comms\":{}}", seen.get("comm_info").toString());
        JsonArray history = seen.getAsJsonArray("history");
        assertEquals(3, history.size(), history.toString());
        // [session, line, [input, output]]: the last three cells, the pager call among them
        assertEquals("greeting.length??", history.get(2).getAsJsonArray().get(2).getAsJsonArray().get(0).getAsString());
        assertEquals("2", history.get(0).getAsJsonArray().get(2).getAsJsonArray().get(1).getAsString(), history.toString());
    }

    @Test
    void restartBringsBackAFreshKernel() {
        JsonObject r = seen.getAsJsonObject("after_restart");
        assertEquals("ok", r.get("status").getAsString());
        assertEquals(1, r.getAsJsonArray("history").size(), "a new session: " + r);
    }

    @Test
    void shutdownEndsTheKernelProcessItself() {
        // jupyter_client would kill a kernel that ignores shutdown_request after 5 s
        assertTrue(seen.get("shutdown_seconds").getAsDouble() < 4, seen.get("shutdown_seconds").toString());
    }
}
