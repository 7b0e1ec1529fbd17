package org.spadeanime.kernel;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseNotebookStatics;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.spadeanime.kernel.CellError.CellException;
import org.spadeanime.kernel.CellError.CellInterrupted;
import org.spadeanime.kernel.CellError.CompileError;

/**
 * Evaluates notebook cells with JShell, in this JVM: runs magic lines and the Java snippets between them in
 * order, returns the value of a cell that ends in an expression (unless it ends with {@code ;}), and turns
 * failures into {@link CellError}s whose lines point into the cell. Also answers completion and
 * is-complete questions. Usable without Jupyter; {@link SpadeKernel} wires it to the notebook.
 */
public final class CellEvaluator implements AutoCloseable {

    /**
     * What every cell sees: the imports IJava and JJava both start with (so notebooks stay portable) and
     * the notebook functions they share, display, updateDisplay and render, and this kernel's clearOutput.
     */
    static final List<String> STARTUP = List.of(
            "import java.util.*;", "import java.io.*;", "import java.math.*;", "import java.net.*;",
            "import java.util.concurrent.*;", "import java.util.prefs.*;", "import java.util.regex.*;",
            "import static " + BaseNotebookStatics.class.getName() + ".display;",
            "import static " + BaseNotebookStatics.class.getName() + ".updateDisplay;",
            "import static " + BaseNotebookStatics.class.getName() + ".render;",
            "import static " + NotebookFunctions.class.getName() + ".clearOutput;");

    /** Where a snippet starts: its cell's label and the cell line of its first character. */
    private record Origin(String cell, int line) {}

    private final NotebookExecutionControl control;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private volatile boolean interrupted;

    public CellEvaluator() {
        this(NotebookExecutionControl.FORCE_STOP_MILLIS);
    }

    /** @param forceStopMillis how long an interrupted snippet may ignore the interrupt before Thread.stop */
    CellEvaluator(long forceStopMillis) {
        control = new NotebookExecutionControl(forceStopMillis);
        shell = JShell.builder().executionEngine(new Provider(control), Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        shell.addToClasspath(jarOf(BaseNotebookStatics.class).toString());
        shell.addToClasspath(jarOf(NotebookFunctions.class).toString());
        for (String snippet : STARTUP) {
            eval(snippet, "startup");
        }
    }

    /**
     * Runs a cell. Returns the value of its last snippet if that is an expression without a trailing
     * {@code ;}, else null. Throws a {@link CellError} subclass when the cell fails; the lines after the
     * failing snippet do not run.
     *
     * @param label how tracebacks name the cell, e.g. "In [3]"
     */
    public Object eval(String source, String label) {
        interrupted = false;
        StopCheck.clear();
        CellText cell = new CellText(source);
        Object value = null;
        for (CellText.Segment segment : cell.segments()) {
            value = segment.magic() ? runMagic(cell.text().substring(segment.start(), segment.end()))
                    : evalCode(cell, segment, label);
        }
        return value;
    }

    /** Stops the running cell: the running snippet at its next loop iteration, and the cell's later snippets. */
    public void interrupt() {
        interrupted = true;
        control.requestStop();
    }

    /** Adds jars or class folders (a class path string) for the compiler and the notebook class loader. */
    public void addToClasspath(List<Path> paths) {
        shell.addToClasspath(PathsHandler.joinPaths(paths));
    }

    private Object runMagic(String line) {
        List<String> words = ClasspathMagic.arguments(line.strip().substring(1));
        if (words.isEmpty() || words.get(0).startsWith("%")) {
            throw new CellError.MagicError("cell magics (%%) are not supported; line magics: %jars, %classpath");
        }
        ClasspathMagic magic = ClasspathMagic.named(words.get(0));
        addToClasspath(magic.resolve(words.subList(1, words.size())));
        return null;
    }

    private Object evalCode(CellText cell, CellText.Segment segment, String label) {
        int pos = segment.start();
        Object value = null;
        while (pos < segment.end()) {
            String rest = cell.text().substring(pos, segment.end());
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            boolean complete = info.completeness().isComplete();
            // An incomplete rest is evaluated as it is: JShell then reports what is missing, and where.
            String snippet = complete ? info.source() : rest;
            int consumed = complete ? rest.length() - info.remaining().length() : rest.length();
            int lead = snippet.length() - snippet.stripLeading().length();
            // Leading blank lines confuse JShell's line numbers in stack traces: they start at the code.
            boolean show = !CellText.endsWithSemicolon(rest.substring(0, consumed));
            value = evalSnippet(snippet.substring(lead), cell, pos + lead, label, show);
            pos += consumed;
        }
        return value;
    }

    private Object evalSnippet(String source, CellText cell, int offset, String label, boolean show) {
        if (interrupted) {
            throw interruptedAt(cell, offset, label);
        }
        List<SnippetEvent> events = shell.eval(source);
        try {
            if (control.consumeStopped()) {
                throw interruptedAt(cell, offset, label);
            }
            Object value = null;
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue; // an earlier snippet that this one updated
                }
                Snippet snippet = event.snippet();
                origins.put(snippet.id(), new Origin(label, cell.line(offset)));
                if (event.status() == Snippet.Status.REJECTED) {
                    throw compileError(snippet, cell, offset, label);
                }
                if (event.exception() != null) {
                    throw cellException(event.exception());
                }
                noteUnresolved(event);
                value = show && isExpression(snippet) ? control.takeValue(event.value()) : null;
            }
            return value;
        } finally {
            control.forgetValues();
        }
    }

    private static boolean isExpression(Snippet snippet) {
        switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND:
            case TEMP_VAR_EXPRESSION_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
                return true;
            default:
                return false;
        }
    }

    private CompileError compileError(Snippet snippet, CellText cell, int offset, String label) {
        List<String> lines = new ArrayList<>();
        String summary = null;
        int firstLine = cell.line(offset);
        for (Diag d : shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList())) {
            long start = d.getStartPosition() >= 0 ? d.getStartPosition() : Math.max(0, d.getPosition());
            int at = Math.min(offset + (int) start, Math.max(0, cell.text().length() - 1));
            int line = cell.line(at);
            int column = cell.column(at);
            String text = cell.lineText(line);
            int width = (int) Math.max(1, Math.min(d.getEndPosition() - start, text.length() - column + 1));
            List<String> message = d.getMessage(Locale.ENGLISH).lines()
                    .filter(m -> !m.strip().startsWith("location:")).collect(Collectors.toList());
            if (summary == null) {
                String detail = String.join("; ", message.subList(1, message.size())).replaceAll("\\s+", " ").strip();
                summary = "line " + line + ": " + message.get(0) + (detail.isEmpty() ? "" : " (" + detail + ")");
                firstLine = line;
            }
            lines.add("compile error, " + label + " line " + line + ", column " + column + ":");
            lines.add("    " + text);
            lines.add("    " + text.substring(0, column - 1).replaceAll("[^\\t]", " ") + "^".repeat(width));
            lines.addAll(message);
        }
        if (summary == null) { // rejected without an error diagnostic (should not happen)
            summary = "line " + firstLine + ": JShell rejected the code";
            lines.add("compile error, " + label + " line " + firstLine + ": JShell rejected the code");
        }
        return new CompileError(summary, firstLine, lines);
    }

    private CellException cellException(JShellException e) {
        Traceback.Origins where = (id, line) -> {
            Origin o = origins.get(id);
            return o == null ? null : o.cell() + " line " + (o.line() + line - 1);
        };
        if (e instanceof UnresolvedReferenceException u) {
            String message = describe(u.getSnippet()) + " cannot run: it uses "
                    + unresolved(u.getSnippet()) + ", which is not defined";
            return new CellException(UnresolvedReferenceException.class.getName(), message,
                    Traceback.format(message, e, where));
        }
        EvalException ee = (EvalException) e;
        String header = Traceback.header(ee);
        return new CellException(ee.getExceptionClassName(), header, Traceback.format(header, ee, where));
    }

    /** Tells the user that a declaration waits for a missing one (JShell accepts it, marked recoverable). */
    private void noteUnresolved(SnippetEvent event) {
        if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            DeclarationSnippet d = (DeclarationSnippet) event.snippet();
            System.err.println("note: " + describe(d) + " is declared, but cannot be used until "
                    + unresolved(d) + " is defined");
        }
    }

    private String unresolved(DeclarationSnippet snippet) {
        return shell.unresolvedDependencies(snippet).collect(Collectors.joining(", "));
    }

    private static String describe(DeclarationSnippet snippet) {
        switch (snippet.kind()) {
            case METHOD:
                return "method " + snippet.name() + "()";
            case TYPE_DECL:
                return "type " + snippet.name();
            case VAR:
                return "variable " + snippet.name();
            default:
                return snippet.name();
        }
    }

    private CellInterrupted interruptedAt(CellText cell, int offset, String label) {
        return new CellInterrupted("interrupted: " + label + " stopped at line " + cell.line(offset)
                + "; the lines after it did not run");
    }

    /**
     * Jupyter's is-complete answer for a console: "complete", "invalid", or the indent of the next line
     * when the code is a valid beginning (an open brace, say).
     */
    public String isComplete(String code) {
        CompletionInfo info = analysis.analyzeCompletion(new CellText(code).withoutMagics());
        while (info.completeness().isComplete()) {
            // complete but unparsable ("1 +* 2", "int 3x = 1;"): JShell would reject it
            if (analysis.sourceToSnippets(info.source()).stream().anyMatch(sn -> sn.kind() == Snippet.Kind.ERRONEOUS)) {
                return BaseKernel.IS_COMPLETE_BAD;
            }
            if (info.remaining().isBlank()) {
                break;
            }
            info = analysis.analyzeCompletion(info.remaining());
        }
        switch (info.completeness()) {
            case DEFINITELY_INCOMPLETE:
            case CONSIDERED_INCOMPLETE:
                return nextIndent(code);
            case UNKNOWN:
                return BaseKernel.IS_COMPLETE_BAD;
            default:
                return BaseKernel.IS_COMPLETE_YES;
        }
    }

    private static String nextIndent(String code) {
        String last = code.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        String end = last.strip();
        return end.endsWith("{") || end.endsWith("(") ? indent + "    " : indent;
    }

    /** Completions at the cursor: the snippet around it is completed by JShell, magic lines are ignored. */
    public ReplacementOptions complete(String code, int cursor) {
        String text = new CellText(code).withoutMagics().substring(0, cursor);
        int start = 0;
        // Variables and statements before the cursor's snippet in this (not yet run) cell: completed as a
        // block that starts with them, so that their names are known.
        StringBuilder before = new StringBuilder("{ ");
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(text.substring(start));
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            if (analysis.sourceToSnippets(info.source()).stream()
                    .allMatch(sn -> sn.kind() == Snippet.Kind.VAR || sn.kind() == Snippet.Kind.STATEMENT)) {
                before.append(info.source().strip()).append(info.source().strip().endsWith(";") ? " " : "; ");
            }
            start = text.length() - info.remaining().length();
        }
        String prefix = before.length() > 2 ? before.toString() : "";
        int[] anchor = new int[1];
        List<String> options = analysis.completionSuggestions(prefix + text.substring(start), prefix.length() + cursor - start, anchor)
                .stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new ReplacementOptions(options, start + anchor[0] - prefix.length(), cursor);
    }

    /**
     * Signatures and javadoc of the name at the cursor, or an empty list. JShell documents a method when
     * the cursor follows its opening parenthesis, so the cursor moves to the end of the name, and past a
     * following {@code (}. Without javadoc: the signatures only.
     */
    public List<String> documentation(String code, int cursor, boolean withJavadoc) {
        String text = new CellText(code).withoutMagics();
        int at = cursor;
        while (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
            at++;
        }
        int paren = at;
        while (paren < text.length() && Character.isWhitespace(text.charAt(paren))) {
            paren++;
        }
        if (paren < text.length() && text.charAt(paren) == '(') {
            at = paren + 1;
        }
        return analysis.documentation(text, at, true).stream()
                .map(d -> d.javadoc() == null || !withJavadoc ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.toList());
    }

    /** The jar or class folder a class was loaded from. */
    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type.getName(), e);
        }
    }

    @Override
    public void close() {
        shell.close();
    }

    /** Hands JShell the one execution control this evaluator owns. */
    private record Provider(ExecutionControl control) implements ExecutionControlProvider {
        @Override
        public String name() {
            return "notebook";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
