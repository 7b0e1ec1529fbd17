package org.spadeanime.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells this kernel ran with store_history, for history_request: tail, range and search (a glob, as
 * IPython's). One session per kernel process, numbered {@link #SESSION}; session 0 or less in a range
 * request means this one, as in IPython. Entries are [session, line, input] or [session, line, [input, output]].
 */
final class InputHistory {

    static final int SESSION = 1;

    private record Entry(int line, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
    }

    /** The last n entries (all when n is 0 or less). */
    synchronized List<List<Object>> tail(int n, boolean output) {
        int from = n <= 0 ? 0 : Math.max(0, entries.size() - n);
        return format(entries.subList(from, entries.size()), output);
    }

    /** Lines start (inclusive) to stop (exclusive; 0 or less: to the end) of a session. */
    synchronized List<List<Object>> range(int session, int start, int stop, boolean output) {
        if (session > 0 && session != SESSION) {
            return List.of();
        }
        return format(entries.stream().filter(e -> e.line() >= start && (stop <= 0 || e.line() < stop)).toList(), output);
    }

    /** Entries whose input matches a glob (* and ?), newest last; the last n (0: all), optionally without repeats. */
    synchronized List<List<Object>> search(String glob, int n, boolean unique, boolean output) {
        Pattern p = Pattern.compile(globToRegex(glob == null || glob.isEmpty() ? "*" : glob), Pattern.DOTALL);
        List<Entry> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) { // newest first, so that unique keeps the latest
            Entry e = entries.get(i);
            if (p.matcher(e.input()).matches() && (!unique || seen.add(e.input()))) {
                found.add(0, e);
            }
        }
        return format(n > 0 && found.size() > n ? found.subList(found.size() - n, found.size()) : found, output);
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return regex.toString();
    }

    private static List<List<Object>> format(List<Entry> entries, boolean output) {
        List<List<Object>> out = new ArrayList<>();
        for (Entry e : entries) {
            List<Object> io = new ArrayList<>();
            io.add(e.input());
            io.add(e.output());
            out.add(List.of(SESSION, e.line(), output ? io : e.input()));
        }
        return out;
    }
}
