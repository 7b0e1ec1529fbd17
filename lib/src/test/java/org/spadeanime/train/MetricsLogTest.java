package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class MetricsLogTest {

    private static StepMetrics row(long step, double d) {
        return new StepMetrics(step, 0.75, 1.25, Double.NaN, d, -0.2, 3.5, 0.25, Double.NaN, 3.3, Double.NaN, Double.NaN,
                5e-5, 2e-4, 0.123456789, 0);
    }

    @Test
    void csvAndTableHoldEveryTermExactly(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("metrics.csv");
        try (MetricsLog log = MetricsLog.create(csv, List.of())) {
            log.add(row(1, 1.0 / 3));
            log.add(row(2, 0.1f));
            Table t = log.table();
            assertEquals(StepMetrics.COLUMNS, t.columnNames());
            assertEquals(2, t.rowCount());
            assertEquals(1.0 / 3, t.doubleColumn("D total").get(0));
            assertTrue(t.doubleColumn("D penalty").isMissing(0), "a switched-off term is missing");
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", StepMetrics.COLUMNS), lines.get(0));
        assertTrue(lines.get(1).startsWith("1,0.75,1.25,,0.3333333333333333,"), lines.get(1));
        List<StepMetrics> back = MetricsLog.read(csv);
        assertEquals(row(1, 1.0 / 3).toString(), back.get(0).toString(), "reads back exactly (NaN stays NaN)");
        assertEquals(row(2, 0.1f), back.get(1));
    }

    /** A Stop that lands inside an iteration leaves the interrupt pending when the row is appended. */
    @Test
    void rowsAreAppendedAlsoWhileTheThreadIsInterrupted(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("metrics.csv");
        try (MetricsLog log = MetricsLog.create(csv, List.of())) {
            log.add(row(1, 1));
            try {
                Thread.currentThread().interrupt();
                log.add(row(2, 2));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the training loop");
            } finally {
                Thread.interrupted();
            }
            log.add(row(3, 3));
        }
        assertEquals(List.of(row(1, 1), row(2, 2), row(3, 3)), MetricsLog.read(csv));
    }

    @Test
    void aLineCutByAKillIsIgnoredButDamageElsewhereIsAnError(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("metrics.csv");
        try (MetricsLog log = MetricsLog.create(csv, List.of(row(1, 1), row(2, 2)))) {
            log.add(row(3, 3));
        }
        Files.writeString(csv, "4,0.5,0.2", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(3, MetricsLog.read(csv).size());
        Files.writeString(csv, Files.readString(csv).replaceFirst("\n2,", "\n2,x,"));
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(csv));
        assertTrue(e.getMessage().contains("metrics.csv: line 3"), e.getMessage());
        Files.writeString(csv, "step,loss\n1,2\n");
        assertTrue(assertThrows(IOException.class, () -> MetricsLog.read(csv)).getMessage().contains("not a metrics CSV"));
    }

    @Test
    void aFileOfAnOlderKitWithoutTheL1ColumnReadsWithTheTermOff(@TempDir Path dir) throws IOException {
        // the header and a row as the kit wrote them before the L1 term (measured: a run of 2026-12-02)
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "step,D real,D fake,D penalty,D total,G adversarial,G feature matching,G perceptual,"
                + "G total,rough D total,rough G total,lr G,lr D,seconds,skipped\n"
                + "7,0.75,1.25,,2.0,-0.2,3.5,,3.3,,,5.0E-5,2.0E-4,0.5,0\n");
        StepMetrics m = MetricsLog.read(csv).get(0);
        assertEquals(7, m.step());
        assertEquals(3.5, m.gFeatureMatching());
        assertTrue(Double.isNaN(m.gL1()), "the absent term is off");
        assertEquals(3.3, m.gTotal());
        assertEquals(0.5, m.seconds());
        Files.writeString(csv, "step,G total,D real,seconds,skipped\n1,2,3,4,0\n");
        assertTrue(assertThrows(IOException.class, () -> MetricsLog.read(csv)).getMessage().contains("not a metrics CSV"),
                "columns out of order are refused");
    }
}
