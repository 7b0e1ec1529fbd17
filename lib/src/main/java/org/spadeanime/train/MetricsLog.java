package org.spadeanime.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.spadeanime.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Every iteration's {@link StepMetrics}, in memory (as a Tablesaw {@link Table} on demand) and in
 * {@code metrics.csv}: a header of {@link StepMetrics#COLUMNS}, one row per iteration, values as
 * Java writes doubles (they read back exactly), switched-off terms (NaN) as empty cells.
 *
 * <p>Between checkpoints the CSV is appended to, a row per iteration (rewriting it per step would
 * cost O(steps²)); at every checkpoint it is rewritten whole and atomically ({@link #rewrite}). A
 * run killed mid-append may leave a partial last line: {@link #read} ignores it, and a resumed run
 * replaces the file with the checkpoint's copy, which drops the rows past the checkpoint.
 */
public final class MetricsLog implements AutoCloseable {

    private static final String HEADER = String.join(",", StepMetrics.COLUMNS);

    private final List<StepMetrics> rows = new ArrayList<>();
    private final Path csv;
    private Writer appender;

    private MetricsLog(Path csv, List<StepMetrics> rows) {
        this.csv = csv;
        this.rows.addAll(rows);
    }

    /** An in-memory log that writes no file (a notebook driving a {@link Trainer} itself). */
    public static MetricsLog inMemory() {
        return new MetricsLog(null, List.of());
    }

    /**
     * A log appending to {@code csv}, which is (re)written atomically with {@code rows} first —
     * an empty header-only file for a new run, the checkpoint's rows for a resumed one.
     */
    public static MetricsLog create(Path csv, List<StepMetrics> rows) throws IOException {
        MetricsLog log = new MetricsLog(csv, rows);
        log.rewrite(csv);
        return log;
    }

    /**
     * Reads a metrics CSV; a partial last line (a run killed mid-write) is ignored. A file of an older
     * version of the kit, whose header lacks some of today's columns (e.g. "G L1"), reads with those
     * terms NaN (off), so its run can be resumed.
     */
    public static List<StepMetrics> read(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IOException(csv + ": no such file (expected a metrics CSV of a training run)");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int[] column = lines.isEmpty() ? null : columnsOf(lines.get(0));
        if (column == null) {
            throw new IOException(csv + ": not a metrics CSV of this kit (expected the header " + HEADER + ")");
        }
        List<StepMetrics> out = new ArrayList<>();
        int n = column.length;
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            boolean last = i == lines.size() - 1;
            if (cells.length != n) {
                if (last) {
                    break; // cut off by a kill
                }
                throw new IOException(csv + ": line " + (i + 1) + " has " + cells.length + " cells, expected " + n);
            }
            double[] v = new double[StepMetrics.COLUMNS.size()];
            Arrays.fill(v, Double.NaN);
            try {
                for (int c = 0; c < n; c++) {
                    v[column[c]] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                }
            } catch (NumberFormatException e) {
                if (last) {
                    break;
                }
                throw new IOException(csv + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
            out.add(StepMetrics.of(v));
        }
        return out;
    }

    /**
     * For each header cell its index in {@link StepMetrics#COLUMNS}; null unless the header is those
     * columns in order, perhaps without some of the loss terms added since (never without step, seconds
     * or skipped).
     */
    private static int[] columnsOf(String header) {
        String[] names = header.split(",", -1);
        int[] column = new int[names.length];
        int next = 0;
        for (int c = 0; c < names.length; c++) {
            int k = StepMetrics.COLUMNS.indexOf(names[c]);
            if (k < next) {
                return null;
            }
            column[c] = k;
            next = k + 1;
        }
        List<String> got = Arrays.asList(names);
        return got.containsAll(List.of("step", "seconds", "skipped")) ? column : null;
    }

    /**
     * Records one iteration (and appends it to the CSV, if any). The append completes although the
     * thread is interrupted; should an interrupt break it mid-write, the redone append may repeat the
     * row, which the whole rewrite at the next checkpoint (every stop writes one) removes.
     */
    public void add(StepMetrics m) throws IOException {
        rows.add(m);
        if (csv != null) {
            String row = line(m) + '\n';
            AtomicFiles.uninterruptibly(() -> append(row));
        }
    }

    private void append(String row) throws IOException {
        try {
            if (appender == null) {
                appender = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            appender.write(row);
            appender.flush();
        } catch (IOException e) {
            Writer broken = appender;
            appender = null; // the next append opens a new one
            if (broken != null) {
                try {
                    broken.close(); // an interrupt closed its channel already; any other failure leaves it open
                } catch (IOException ignored) {
                    // the row's failure is the one to report
                }
            }
            throw e;
        }
    }

    /** Every row so far, oldest first. */
    public List<StepMetrics> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The rows as a Tablesaw table, one double column per {@link StepMetrics#COLUMNS} entry. */
    public Table table() {
        List<String> names = StepMetrics.COLUMNS;
        double[][] cols = new double[names.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            double[] v = rows.get(r).values();
            for (int c = 0; c < v.length; c++) {
                cols[c][r] = v[c];
            }
        }
        Table t = Table.create("metrics");
        for (int c = 0; c < names.size(); c++) {
            t.addColumns(DoubleColumn.create(names.get(c), cols[c]));
        }
        return t;
    }

    /** Writes all rows to {@code file} atomically (the checkpoint's copy, or the run's CSV). */
    public void rewrite(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (StepMetrics m : rows) {
            sb.append(line(m)).append('\n');
        }
        if (appender != null && file.equals(csv)) {
            appender.close();
            appender = null;
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String line(StepMetrics m) {
        double[] v = m.values();
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < v.length; c++) {
            if (c > 0) {
                sb.append(',');
            }
            if (Double.isFinite(v[c])) {
                sb.append(v[c] == Math.rint(v[c]) && Math.abs(v[c]) < 1e15 ? Long.toString((long) v[c])
                        : Double.toString(v[c])); // shortest text that reads back exactly
            } else if (!Double.isNaN(v[c])) {
                sb.append(v[c] > 0 ? "Infinity" : "-Infinity");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }
}
