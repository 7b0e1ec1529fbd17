package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environment/run-notebooks.sh: order, environment knobs, stop at the first failing cell, no notebooks. */
@Tag("jupyter")
class RunNotebooksIT {

    @TempDir
    static Path work;

    private static JupyterHome home;

    @BeforeAll
    static void install() throws Exception {
        home = new JupyterHome(work.resolve("jupyter"));
    }

    private static JupyterHome.Result runner(Path notebooks, Path executed, Map<String, String> knobs) {
        Map<String, String> env = new java.util.HashMap<>(knobs);
        env.put("SPADE_NOTEBOOKS_DIR", notebooks.toString());
        env.put("SPADE_EXECUTED_DIR", executed.toString());
        Path script = BuildPaths.projectRoot().resolve("environment/run-notebooks.sh");
        return home.run(BuildPaths.projectRoot(), Duration.ofMinutes(3), env, List.of("bash", script.toString()));
    }

    @Test
    void noNotebooksIsReportedAndSucceeds() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        JupyterHome.Result r = runner(empty, work.resolve("out-empty"), Map.of());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("run-notebooks: no notebooks in " + empty + ", nothing to run"), r.output());
    }

    @Test
    void runsInNameOrderPassesKnobsAndStopsAtTheFirstFailingCell() throws Exception {
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        write(notebooks.resolve("01-knobs.ipynb"), "System.out.println(\"preset=\" + System.getenv(\"SPADE_PRESET\")"
                + " + \" steps=\" + System.getenv(\"MAX_STEPS\"));",
                // run_notebooks.py fails a run whose image/png outputs are not complete PNGs
                "for (int w = 1; w <= 3; w++) display(new java.awt.image.BufferedImage(w, 2, java.awt.image.BufferedImage.TYPE_INT_RGB));");
        write(notebooks.resolve("02-fails.ipynb"), "int ok = 1;", "String missing = null;\nmissing.length()", "ok");
        write(notebooks.resolve("03-never.ipynb"), "System.out.println(\"should not run\");");
        Path executed = work.resolve("executed");

        JupyterHome.Result r = runner(notebooks, executed, Map.of("SPADE_PRESET", "tiny", "MAX_STEPS", "7"));

        assertEquals(1, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("knobs: MAX_STEPS=7 SPADE_PRESET=tiny"), out);
        assertTrue(out.matches("(?s).*ok {5}01-knobs\\.ipynb {2}\\d+\\.\\d s\n.*"), "time per notebook:\n" + out);
        assertTrue(out.contains("FAILED " + notebooks.resolve("02-fails.ipynb") + " after "), out);
        assertTrue(out.contains(": cell 3 of 4 (In [2]): CellException: java.lang.NullPointerException"), out);
        assertTrue(out.contains("        at In [2] line 2"), out);
        assertFalse(out.contains("03-never"), "stops at the first failure:\n" + out);

        assertTrue(Files.readString(executed.resolve("01-knobs.ipynb")).contains("preset=tiny steps=7"));
        assertTrue(Files.readString(executed.resolve("02-fails.ipynb")).contains("NullPointerException"),
                "the failed notebook is saved with its error");
        assertFalse(Files.exists(executed.resolve("03-never.ipynb")));
    }

    /** A notebook with one markdown cell and these code cells (no outputs). */
    private static void write(Path file, String... codeCells) throws Exception {
        JsonArray cells = new JsonArray();
        cells.add(cell("markdown", "intro", "# " + file.getFileName()));
        for (int i = 0; i < codeCells.length; i++) {
            cells.add(cell("code", "c" + i, codeCells[i]));
        }
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", "java");
        kernelspec.addProperty("display_name", "Java");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Files.writeString(file, nb.toString());
    }

    private static JsonObject cell(String type, String id, String source) {
        JsonObject c = new JsonObject();
        c.addProperty("cell_type", type);
        c.addProperty("id", id);
        c.add("metadata", new JsonObject());
        c.addProperty("source", source);
        if (type.equals("code")) {
            c.add("outputs", new JsonArray());
            c.add("execution_count", null);
        }
        return c;
    }
}
