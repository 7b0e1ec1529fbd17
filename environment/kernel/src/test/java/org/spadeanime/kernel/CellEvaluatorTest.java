package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.kernel.CellError.CellException;
import org.spadeanime.kernel.CellError.CompileError;

/** The evaluator without Jupyter: snippets, values, errors. */
class CellEvaluatorTest {

    private static CellEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new CellEvaluator();
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    @Test
    void lastExpressionIsTheCellValueUnlessItEndsWithASemicolon() {
        assertEquals(6, evaluator.eval("int a = 2;\nint b = 3;\na * b", "In [1]"));
        assertNull(evaluator.eval("a * b;", "In [2]"));
        assertNull(evaluator.eval("a * b; // comment", "In [3]"));
        assertEquals("x;y", evaluator.eval("\"x;y\" // a ; in a comment", "In [4]"));
        assertNull(evaluator.eval("int c = a + b", "In [5]"));
        assertEquals(5, evaluator.eval("c", "In [6]"));
    }

    @Test
    void valuesAreTheRealObjects() {
        Object v = evaluator.eval("new int[] {1, 2, 3}", "In [1]");
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) v);
        Object img = evaluator.eval("new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)", "In [2]");
        assertEquals(3, ((java.awt.image.BufferedImage) img).getHeight());
    }

    @Test
    void classDefinedInOneCellIsUsedInTheNext() {
        evaluator.eval("class Counter {\n  int n;\n  int inc() { return ++n; }\n}", "In [1]");
        assertEquals(2, evaluator.eval("Counter k = new Counter();\nk.inc();\nk.inc()", "In [2]"));
    }

    @Test
    void compileErrorNamesTheCellLineWithACaret() {
        CompileError e = assertThrows(CompileError.class,
                () -> evaluator.eval("int ok = 1;\n\n  int bad = undefinedThing + 1;\nint never = 2;", "In [7]"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("line 3: cannot find symbol"), e.getMessage());
        List<String> tb = e.traceback();
        assertEquals("compile error, In [7] line 3, column 13:", tb.get(0));
        assertEquals("      int bad = undefinedThing + 1;", tb.get(1));
        assertEquals("                ^^^^^^^^^^^^^^", tb.get(2));
        // the snippet before the error ran, the one after it did not
        assertEquals(1, evaluator.eval("ok", "In [8]"));
        assertThrows(CompileError.class, () -> evaluator.eval("never", "In [9]"));
    }

    @Test
    void incompleteCodeIsACompileErrorAtItsEnd() {
        CompileError e = assertThrows(CompileError.class, () -> evaluator.eval("void f() {\n  int x = 1;\n", "In [3]"));
        assertTrue(e.getMessage().contains("reached end of file"), e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void runtimeExceptionShowsNotebookFramesAsCellLines() {
        evaluator.eval("// helpers\nString check(int k) {\n  if (k > 2)\n    throw new IllegalStateException(\"too big: \" + k, new RuntimeException(\"root cause\"));\n  return \"ok\";\n}", "In [4]");
        CellException e = assertThrows(CellException.class, () -> evaluator.eval("String r = check(1);\n\ncheck(7)", "In [5]"));
        assertEquals("java.lang.IllegalStateException", e.exceptionClass());
        List<String> tb = e.traceback();
        assertEquals("java.lang.IllegalStateException: too big: 7", tb.get(0));
        assertEquals("    at check (In [4] line 4)", tb.get(1));
        assertEquals("    at In [5] line 3", tb.get(2));
        assertTrue(tb.contains("Caused by: java.lang.RuntimeException: root cause"), tb.toString());
    }

    @Test
    void libraryFramesComeAfterTheNotebookFrames() {
        CellException e = assertThrows(CellException.class, () -> evaluator.eval("List.of(1).get(3)", "In [6]"));
        List<String> tb = e.traceback();
        assertEquals("java.lang.IndexOutOfBoundsException: Index: 3 Size: 1", tb.get(0));
        assertEquals("    at In [6] line 1", tb.get(1));
        assertEquals("  library frames, innermost first:", tb.get(2));
        assertTrue(tb.get(3).contains("java.util.ImmutableCollections"), tb.get(3));
    }

    @Test
    void interruptStopsABusyLoopBetweenIterationsAndKeepsTheState() throws Exception {
        evaluator.eval("long spins = 0;", "In [1]");
        CellError.CellInterrupted e = interruptAfter(300,
                "while (true) {\n  spins++;\n}\nspins = -1;");
        assertEquals("interrupted: In [2] stopped at line 1; the lines after it did not run", e.getMessage());
        long spins = (Long) evaluator.eval("spins", "In [3]");
        assertTrue(spins > 0, "the loop ran, the line after it did not: " + spins);
        assertEquals(2L, evaluator.eval("spins = 2L;\nspins", "In [4]"));
    }

    @Test
    void aStopFiresOnceSoThatTheCodeOnTheWayOutRunsAndTheThreadStaysInterrupted() throws Exception {
        // A training cell's finally draws the progress bar's last frame with notebook code, and a training
        // loop (library code) that catches the stop from its listener writes a checkpoint: neither may be cut.
        evaluator.eval("long frames = 0; boolean interruptSeen = false;\nvoid drawLastFrame() { frames++; }", "In [1]");
        interruptAfter(300, "try { while (true) { frames = 0; } }\n"
                + "finally { drawLastFrame(); interruptSeen = Thread.currentThread().isInterrupted(); }");
        assertEquals(1L, evaluator.eval("frames", "In [3]"));
        assertEquals(true, evaluator.eval("interruptSeen", "In [4]"));
    }

    @Test
    void interruptEndsASleepInACalledMethod() throws Exception {
        evaluator.eval("void nap() throws InterruptedException { Thread.sleep(60_000); }", "In [1]");
        long t0 = System.nanoTime();
        interruptAfter(300, "nap();");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "the sleep ended early");
        assertEquals(3, evaluator.eval("1 + 2", "In [3]"));
    }

    private static CellError.CellInterrupted interruptAfter(long millis, String cell) throws Exception {
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            evaluator.interrupt();
        });
        interrupter.start();
        try {
            return assertThrows(CellError.CellInterrupted.class, () -> evaluator.eval(cell, "In [2]"));
        } finally {
            interrupter.join();
        }
    }

    @Test
    void magicsAddJarsAndClassFoldersInCellOrder(@TempDir Path dir) throws Exception {
        Path classes = TestClasses.compile(dir, "Greeter.java",
                "package demo; public class Greeter { public static String hello(String who) { return \"hello \" + who; } }");
        Path jar = TestClasses.jar(classes, Files.createDirectories(dir.resolve("jars")).resolve("greeter.jar"));
        // the magic runs before the code below it, in the same cell
        assertEquals("hello jar", evaluator.eval("%jars " + jar.getParent() + "/*.jar\ndemo.Greeter.hello(\"jar\")", "In [1]"));
        assertEquals("hello folder", evaluator.eval("%classpath \"" + classes + "\"\ndemo.Greeter.hello(\"folder\")", "In [2]"));
    }

    @Test
    void magicErrorsSayWhatIsWrong(@TempDir Path dir) {
        CellError.MagicError none = assertThrows(CellError.MagicError.class,
                () -> evaluator.eval("%jars " + dir + "/missing/*.jar", "In [1]"));
        assertTrue(none.getMessage().startsWith("%jars " + dir + "/missing/*.jar: nothing matches"), none.getMessage());
        CellError.MagicError folder = assertThrows(CellError.MagicError.class, () -> evaluator.eval("%jars " + dir, "In [2]"));
        assertTrue(folder.getMessage().contains("is not a file (use %classpath for class folders)"), folder.getMessage());
        CellError.MagicError unknown = assertThrows(CellError.MagicError.class, () -> evaluator.eval("%maven a:b:1", "In [3]"));
        assertEquals("unknown magic %maven: this kernel has %jars and %classpath (the magics that also work in IJava and JJava)",
                unknown.getMessage());
        assertThrows(CellError.MagicError.class, () -> evaluator.eval("%%loadFromPOM\n<dependency/>", "In [4]"));
    }

    @Test
    void isCompleteAnswersLikeAConsole() {
        assertEquals("complete", evaluator.isComplete("int a = 1;"));
        assertEquals("complete", evaluator.isComplete("%jars lib/*.jar\nint a = 1"));
        assertEquals("    ", evaluator.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("        ", evaluator.isComplete("void f() {\n    if (true) {"));
        assertEquals("invalid", evaluator.isComplete("int x = ;)"));
        // complete to a console, but unparsable
        assertEquals("invalid", evaluator.isComplete("1 +* 2"));
        assertEquals("invalid", evaluator.isComplete("int 3x = 1;"));
        assertEquals("invalid", evaluator.isComplete("int a = 1;\n1 +* 2"));
    }

    @Test
    void completionKnowsAVariableDeclaredEarlierInTheSameUnrunCell() {
        String code = "String s = \"x\"; s.toUpperC";
        ReplacementOptions options = evaluator.complete(code, code.length());
        assertEquals(List.of("toUpperCase("), options.getReplacements());
        assertEquals(code.length() - "toUpperC".length(), options.getSourceStart());
        ReplacementOptions max = evaluator.complete("Math.max", 8);
        assertEquals(List.of("max("), max.getReplacements());
        assertEquals(5, max.getSourceStart());
    }

    @Test
    void completionUsesEarlierCellsAndSkipsMagicLines() {
        evaluator.eval("String greeting = \"hi\";", "In [1]");
        String code = "%jars lib/*.jar\nint n = 1;\ngreeting.toUpp";
        ReplacementOptions options = evaluator.complete(code, code.length());
        assertTrue(options.getReplacements().contains("toUpperCase("), options.getReplacements().toString());
        assertEquals(code.length() - "toUpp".length(), options.getSourceStart());
        assertEquals(code.length(), options.getSourceEnd());
    }

    @Test
    void documentationOfTheMethodUnderTheCursor() {
        evaluator.eval("String word = \"hi\";", "In [1]");
        assertEquals(List.of("int String.length()"), evaluator.documentation("word.length()", 7, true));
        assertTrue(evaluator.documentation("word.length()", 7 + 6 + 2, true).isEmpty(), "nothing after the call");
    }

    @Test
    void libraryCodeThatIgnoresTheInterruptIsForceStoppedWhereTheJdkCan(@TempDir Path dir) throws Exception {
        // Library classes are not instrumented: only Thread.stop (JDK 17 to 19) ends this spin early.
        Path classes = TestClasses.compile(dir, "Spinner.java", "package demo; public class Spinner {"
                + " public static long spin(long millis) { long end = System.nanoTime() + millis * 1_000_000L, n = 0;"
                + " while (System.nanoTime() < end) { n++; } return n; } }");
        try (CellEvaluator strict = new CellEvaluator(300)) {
            strict.eval("%classpath " + classes, "In [1]");
            boolean canStop = Runtime.version().feature() < 20;
            long spinMillis = canStop ? 60_000 : 2_000;
            Thread interrupter = new Thread(() -> {
                sleep(500);
                strict.interrupt();
            });
            long t0 = System.nanoTime();
            interrupter.start();
            assertThrows(CellError.CellInterrupted.class,
                    () -> strict.eval("long n = demo.Spinner.spin(" + spinMillis + "L);\nn = -1;", "In [2]"));
            interrupter.join();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (canStop) {
                assertTrue(millis < 10_000, "force-stopped after the 300 ms grace, not after the spin: " + millis + " ms");
            } else {
                assertTrue(millis >= spinMillis, "this JDK cannot force a stop: the spin ran out (" + millis + " ms)");
            }
            assertEquals(4, strict.eval("2 + 2", "In [3]"));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
