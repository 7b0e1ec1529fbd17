package org.spadeanime.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.EvalException;

/**
 * A short, readable trace of what notebook code threw: per exception in the cause chain, the class and
 * message, the notebook frames (as cell and line), then a few of the innermost library frames.
 */
final class Traceback {

    /** Library frames shown per exception; deeper ones are counted, not listed. */
    static final int LIBRARY_FRAMES = 8;

    /** How JShell's generated classes appear in messages: REPL.$JShell$12. or REPL.$JShell$12$ before a name. */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[.$]");

    /** Where a snippet came from: "In [3] line 4" for a line of a snippet, or null if unknown. */
    interface Origins {
        String describe(String snippetId, int lineInSnippet);
    }

    private Traceback() {}

    /** The lines for {@code e} and its causes; {@code firstHeader} replaces the first exception's header. */
    static List<String> format(String firstHeader, Throwable e, Origins origins) {
        List<String> lines = new ArrayList<>();
        StackTraceElement[] enclosing = new StackTraceElement[0];
        for (Throwable t = e; t != null; t = t.getCause()) {
            lines.add(t == e ? firstHeader : "Caused by: " + header(t));
            StackTraceElement[] frames = t.getStackTrace();
            int own = frames.length - commonTail(frames, enclosing);
            List<String> library = new ArrayList<>();
            int hidden = 0;
            for (StackTraceElement f : Arrays.copyOf(frames, own)) {
                String file = f.getFileName();
                if (file != null && file.startsWith("#")) {
                    lines.add("    at " + notebookFrame(f, origins));
                } else if (library.size() < LIBRARY_FRAMES) {
                    library.add("    at " + f);
                } else {
                    hidden++;
                }
            }
            if (!library.isEmpty()) {
                lines.add("  library frames, innermost first:");
                lines.addAll(library);
                if (hidden > 0) {
                    lines.add("    ... " + hidden + " more");
                }
            }
            enclosing = frames;
        }
        return lines;
    }

    /**
     * "java.lang.IllegalStateException: boom" with the thrower's class, not JShell's EvalException, and
     * JShell's wrapper class names taken out of the message ("REPL.$JShell$10.s is null" reads "s is null").
     */
    static String header(Throwable t) {
        String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
        return t.getMessage() == null ? name : name + ": " + WRAPPER.matcher(t.getMessage()).replaceAll("");
    }

    private static String notebookFrame(StackTraceElement f, Origins origins) {
        String snippetId = f.getFileName().substring(1);
        String where = origins.describe(snippetId, f.getLineNumber());
        if (where == null) {
            where = "snippet " + snippetId + " line " + f.getLineNumber();
        }
        String cls = f.getClassName();
        String method = f.getMethodName();
        String name = cls.isEmpty() ? method : method.isEmpty() ? cls : cls + "." + method;
        return name.isEmpty() ? where : name + " (" + where + ")";
    }

    private static int commonTail(StackTraceElement[] a, StackTraceElement[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[a.length - 1 - n].equals(b[b.length - 1 - n])) {
            n++;
        }
        return n;
    }
}
