package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jupyter project's kernel conformance suite (Debian's python3-jupyter-kernel-test, which validates
 * every message against the v5 schema) against the installed spade-java kernelspec, with every sample
 * filled in (src/test/python/kernel_conformance.py): all tests pass and none is skipped.
 */
@Tag("jupyter")
class KernelConformanceIT {

    @TempDir
    static Path work;

    @Test
    void theConformanceSuitePassesWithoutSkips() throws Exception {
        JupyterHome home = new JupyterHome(work.resolve("jupyter"));
        String suite = Path.of("src/test/python/kernel_conformance.py").toAbsolutePath().toString();
        List<String> command = List.of("/usr/bin/python3", suite, "-v");
        JupyterHome.Result r = home.run(work, Duration.ofMinutes(8), Map.of(), command);
        if (r.exitCode() != 0 && r.output().contains("in execute_helper") && r.output().contains("raise Empty")) {
            // The suite waits only 0.1 s between a cell's iopub messages; on a loaded 2-core machine that
            // flakes (seen in 1 of 4 runs here). One more run; a real fault fails both.
            System.out.println("conformance suite, first run (iopub timing):\n" + r.output());
            r = home.run(work, Duration.ofMinutes(8), Map.of(), command);
        }
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        Matcher ran = Pattern.compile("(?m)^Ran (\\d+) tests? in").matcher(out);
        assertTrue(ran.find(), out);
        assertEquals(12, Integer.parseInt(ran.group(1)), "the suite's 12 tests: " + out);
        assertTrue(Pattern.compile("(?m)^OK$").matcher(out).find(), "a plain OK, without skips or expected failures: " + out);
        assertTrue(!out.contains("skipped"), out);
    }
}
