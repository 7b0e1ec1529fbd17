package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The seed-spread verdict of notebook 07: a difference counts only beyond the reseeded baseline's. */
class AblationVerdictTest {

    @Test
    void differencesBeyondTheSeedSpreadAreNamed() {
        Table t = Table.create("ablation",
                StringColumn.create("variant", "baseline", "baseline, seed 2", "no noise", "no SN"),
                DoubleColumn.create(Ablation.SCORES.get(0), 0.40, 0.41, 0.45, 0.395),
                DoubleColumn.create(Ablation.SCORES.get(1), 20.0, 20.5, 19.0, 20.2),
                DoubleColumn.create(Ablation.SCORES.get(2), 5.0, 5.0, 5.0, 6.0));
        List<Ablation.Verdict> v = Ablation.verdicts(t);
        assertEquals(3, v.size());
        assertEquals(0.01, v.get(0).spread(), 1e-12);
        assertEquals(List.of("no noise"), List.copyOf(v.get(0).beyond().keySet()), "0.005 is within the spread");
        assertEquals(0.05, v.get(0).beyond().get("no noise"), 1e-12);
        assertEquals(Map.of("no noise", -1.0), v.get(1).beyond());
        assertEquals("L1: baseline 0.400, seed spread 0.010; beyond it: no noise (+0.050)", v.get(0).toString());
        assertEquals("hair ΔE2000: baseline 5.000, seed spread 0.000; beyond it: no SN (+1.000)", v.get(2).toString(),
                "a zero spread: any difference counts, none is none");
        assertEquals("PSNR (dB): baseline 20.000, seed spread 0.500; beyond it: no noise (-1.000)", v.get(1).toString());
    }

    @Test
    void needsTheBaselineTwice() {
        Table one = Table.create("ablation", StringColumn.create("variant", "baseline"),
                DoubleColumn.create(Ablation.SCORES.get(0), 0.4), DoubleColumn.create(Ablation.SCORES.get(1), 20.0),
                DoubleColumn.create(Ablation.SCORES.get(2), 5.0));
        assertThrows(IllegalArgumentException.class, () -> Ablation.verdicts(one));
    }
}
