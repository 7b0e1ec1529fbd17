package org.spadeanime.viz;

import java.util.List;
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
        return Table.create("palette (" + palette.match().name().toLowerCase(java.util.Locale.ROOT) + " rule)",
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
        return Table.create(codec.palette().match().name().toLowerCase(java.util.Locale.ROOT) + " rule", pixel, read);
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
            mean.append(round(s.mean()));
            std.append(round(s.std()));
            min.append(round(s.min()));
            max.append(round(s.max()));
        }
        return Table.create("stages", name, shape, mean, std, min, max);
    }

    /** Four significant digits, so the HTML table stays readable. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
