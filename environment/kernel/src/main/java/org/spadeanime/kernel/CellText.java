package org.spadeanime.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's source: its magic lines (first non-blank character {@code %}) and the runs of Java code between
 * them, and offsets translated to the line and column a user sees in the notebook.
 */
final class CellText {

    /** A run of Java code, or one magic line, as offsets [start, end) into the cell. */
    record Segment(int start, int end, boolean magic) {}

    private final String text;
    private final List<Integer> lineStarts = new ArrayList<>();

    CellText(String text) {
        this.text = text;
        lineStarts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
    }

    String text() {
        return text;
    }

    /** Code runs and magic lines, in cell order. */
    List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        int codeStart = -1;
        for (int line = 1; line <= lineCount(); line++) {
            int start = lineStart(line);
            int end = lineEnd(line);
            if (text.substring(start, end).stripLeading().startsWith("%")) {
                if (codeStart >= 0) {
                    out.add(new Segment(codeStart, start, false));
                    codeStart = -1;
                }
                out.add(new Segment(start, end, true));
            } else if (codeStart < 0) {
                codeStart = start;
            }
        }
        if (codeStart >= 0) {
            out.add(new Segment(codeStart, text.length(), false));
        }
        return out;
    }

    /** The cell with its magic lines blanked out (offsets unchanged), for code analysis. */
    String withoutMagics() {
        StringBuilder b = new StringBuilder(text);
        for (Segment s : segments()) {
            if (s.magic()) {
                for (int i = s.start(); i < s.end(); i++) {
                    b.setCharAt(i, ' ');
                }
            }
        }
        return b.toString();
    }

    int lineCount() {
        return lineStarts.size();
    }

    /** 1-based line of an offset. */
    int line(int offset) {
        int lo = 0;
        int hi = lineStarts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts.get(mid) <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** 1-based column of an offset. */
    int column(int offset) {
        return offset - lineStart(line(offset)) + 1;
    }

    String lineText(int line) {
        return text.substring(lineStart(line), lineEnd(line));
    }

    private int lineStart(int line) {
        return lineStarts.get(line - 1);
    }

    private int lineEnd(int line) {
        int end = line < lineStarts.size() ? lineStarts.get(line) - 1 : text.length();
        return end > lineStart(line) && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    /**
     * Whether the last token of a piece of Java code, ignoring comments and whitespace, is {@code ;}: the
     * notebook convention for "do not show this expression's value".
     */
    static boolean endsWithSemicolon(String code) {
        char last = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                int nl = code.indexOf('\n', i);
                i = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int close = code.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '"' || c == '\'') {
                i = skipLiteral(code, i);
                last = c;
            } else {
                if (!Character.isWhitespace(c)) {
                    last = c;
                }
                i++;
            }
        }
        return last == ';';
    }

    /** The offset after a string, char or text-block literal starting at {@code i}. */
    private static int skipLiteral(String code, int i) {
        if (code.startsWith("\"\"\"", i)) {
            int close = code.indexOf("\"\"\"", i + 3);
            return close < 0 ? code.length() : close + 3;
        }
        char quote = code.charAt(i);
        int j = i + 1;
        while (j < code.length() && code.charAt(j) != quote && code.charAt(j) != '\n') {
            j += code.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, code.length());
    }
}
