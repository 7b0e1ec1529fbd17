package org.spadeanime.viz;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import org.spadeanime.label.LabelClass;
import org.spadeanime.label.LabelCodec;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.ModelSummary;
import org.spadeanime.model.StageRecorder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** Tablesaw views of the kit's records, for notebooks (the kernel shows a Table as HTML). */
public final class Tables {

    private Tables() {}

    /** The palette: one-hot channel (−1 for the implicit background), class name and colour. */
    public static Table palette(LabelPalette palette) {
        IntColumn channel = IntColumn.create("one-hot channel");
        StringColumn name = StringColumn.create("class");
        StringColumn colour = StringColumn.create("colour");
        for (LabelClass c : palette.all()) {
            channel.append(palette.channel(c.name()));
            name.append(c.name());
            colour.append(c.hex());
        }
        return Table.create("palette (" + palette.match().name().toLowerCase(Locale.ROOT) + " rule)",
                channel, name, colour);
    }

    /** How {@code codec} reads each pixel colour: its class, or "unmatched (→ background)". */
    public static Table readings(LabelCodec codec, int... rgb) {
        StringColumn pixel = StringColumn.create("pixel");
        StringColumn read = StringColumn.create("read as");
        for (int p : rgb) {
            LabelClass c = codec.labelClass(codec.code(p));
            pixel.append(String.format("#%06X (%d, %d, %d)", p & 0xFFFFFF, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF));
            read.append(c == null ? "unmatched (→ background)" : c.name());
        }
        return Table.create(codec.palette().match().name().toLowerCase(Locale.ROOT) + " rule", pixel, read);
    }

    /** Parameter counts of the blocks down to {@code maxDepth}, the whole network last. */
    public static Table summary(ModelSummary summary, int maxDepth) {
        StringColumn block = StringColumn.create("block");
        StringColumn type = StringColumn.create("type");
        LongColumn params = LongColumn.create("parameters");
        LongColumn buffers = LongColumn.create("buffers");
        for (ModelSummary.Row r : summary.rows(maxDepth)) {
            if (r.depth() > 0) {
                block.append(r.path());
                type.append(r.type());
                params.append(r.parameters());
                buffers.append(r.buffers());
            }
        }
        block.append("total");
        type.append(summary.rows().get(0).type());
        params.append(summary.total());
        buffers.append(summary.totalBuffers());
        return Table.create("parameters", block, type, params, buffers);
    }

    /** Shape and value statistics of each recorded stage, in forward order. */
    public static Table stages(List<StageRecorder.Stage> stages) {
        StringColumn name = StringColumn.create("stage");
        StringColumn shape = StringColumn.create("shape");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn std = DoubleColumn.create("std");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        for (StageRecorder.Stage s : stages) {
            name.append(s.name());
            shape.append(s.shape().toString());
            mean.append(s.mean());
            std.append(s.std());
            min.append(s.min());
            max.append(s.max());
        }
        return rounded(Table.create("stages", name, shape, mean, std, min, max));
    }

    /**
     * Prints every double column of {@code table} with four significant digits (the values stay
     * as they are), so that a notebook's table stays readable; returns the table.
     */
    public static Table rounded(Table table) {
        for (var c : table.columns()) {
            if (c instanceof DoubleColumn d) {
                d.setPrintFormatter(FOUR_DIGITS);
            }
        }
        return table;
    }

    private static final NumberColumnFormatter FOUR_DIGITS = new NumberColumnFormatter() {
        @Override
        public String format(double v) {
            return significant(v, 4);
        }
    };

    /** {@code v} with {@code digits} significant digits: plain from 1e-4 to 1e6, else in E notation. */
    static String significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v == 0 ? "0" : v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
    }
}
