package org.spadeanime.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.ConstantFcn;
import org.spadeanime.model.ModelSummary;
import org.spadeanime.model.StageRecorder;
import tech.tablesaw.api.Table;

/** The Tablesaw views hold the records' values. */
class TablesTest {

    @Test
    void paletteRows() {
        Table t = Tables.palette(LabelPalette.anime());
        assertEquals(5, t.rowCount());
        assertEquals("hair", t.stringColumn("class").get(2));
        assertEquals("#0000FF", t.stringColumn("colour").get(2));
        assertEquals(2, t.intColumn("one-hot channel").getInt(2));
        assertEquals(-1, t.intColumn("one-hot channel").getInt(4));
    }

    @Test
    void readingsNameTheClassOrUnmatched() {
        Table t = Tables.readings(LabelPalette.anime().codec(), 0xC81E5A, 0x666666, 0xF0F010);
        assertEquals("#C81E5A (200, 30, 90)", t.stringColumn("pixel").get(0));
        assertEquals("eye", t.stringColumn("read as").get(0));
        assertEquals("unmatched (→ background)", t.stringColumn("read as").get(1));
        assertEquals("background", t.stringColumn("read as").get(2));
    }

    @Test
    void summaryRowsEndWithTheTotal() {
        DjlRuntime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            ConstantFcn fcn = new ConstantFcn(4, 32);
            fcn.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4, 8, 8));
            ModelSummary s = ModelSummary.of(fcn);
            Table t = Tables.summary(s, 1);
            assertEquals(5, t.rowCount());
            assertEquals("conv1", t.stringColumn("block").get(0));
            // conv1: 4→4 3×3 with bias
            assertEquals(4 * 4 * 9 + 4, t.longColumn("parameters").getLong(0));
            assertEquals("total", t.stringColumn("block").get(4));
            assertEquals(s.total(), t.longColumn("parameters").getLong(4));
        }
    }

    @Test
    void stagesPrintFourDigits() {
        Table t = Tables.stages(List.of(new StageRecorder.Stage("head", new Shape(1, 64, 4, 4), 0.123456, 1.5, -2, 3)));
        assertEquals("(1, 64, 4, 4)", t.stringColumn("shape").get(0));
        assertEquals(0.123456, t.doubleColumn("mean").getDouble(0), 0);
        assertEquals("0.1235", t.getString(0, "mean"));
        assertEquals("1.5", t.getString(0, "std"));
        assertEquals("-2", t.getString(0, "min"));
    }

    @Test
    void significantDigits() {
        assertEquals("1.728", Tables.significant(1.7283252477645874, 4));
        assertEquals("179700", Tables.significant(179660, 4));
        assertEquals("0.0001235", Tables.significant(0.000123456, 4));
        assertEquals("9.069e-07", Tables.significant(9.0687e-7, 4));
        assertEquals("-1.235e+07", Tables.significant(-12345678, 4));
        assertEquals("0", Tables.significant(0, 4));
        assertEquals("NaN", Tables.significant(Double.NaN, 4));
    }
}
