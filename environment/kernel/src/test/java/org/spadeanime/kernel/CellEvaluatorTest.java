package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
}
