package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spadeanime.data.Batch;
import org.spadeanime.data.Sample;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.metrics.ImageMetrics;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.viz.ImageGrid;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One label map drawn with several requested hair colours. Generator, label and noise stay the
 * same, only the colour condition changes, so the drawings show what the generator learnt about
 * the colour map. Each drawing's hair is measured: CIEDE2000 between the requested colour and the
 * median colour of the generated hair pixels ({@link ImageMetrics#hairColorDeltaE}).
 *
 * @param sample the label (its own condition is replaced by each requested colour)
 * @param drawings one per requested colour, in request order
 */
public record HairSweep(Sample sample, List<Drawing> drawings) {

    /**
     * One requested colour and what the generator drew for it.
     *
     * @param condition the colour map the generator was given (the colour on the hair, black elsewhere)
     * @param hairDeltaE NaN when the label has no hair
     */
    public record Drawing(int requestedRgb, BufferedImage condition, BufferedImage image, double hairDeltaE) {}

    public HairSweep {
        drawings = List.copyOf(drawings);
    }

    /**
     * Draws {@code sample}'s label once per colour (0xRRGGBB) in inference mode, each with the noise
     * seeded by {@code seed}; temporaries live in a sub-manager of {@code manager}.
     *
     * @param hairChannel the one-hot channel of the hair class ({@code LabelPalette#hairChannel})
     */
    public static HairSweep draw(SpadeGenerator generator, Sample sample, int hairChannel, int seed, NDManager manager,
                                 int... colours) {
        if (colours.length == 0) {
            throw new IllegalArgumentException("hair sweep: no colours requested");
        }
        boolean[] hair = sample.label().mask(hairChannel);
        List<Drawing> out = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            for (int rgb : colours) {
                Sample s = sample.withHairColour(rgb, hairChannel);
                Batch b = Batch.of(List.of(s), m);
                NDArray fake = Sampler.generate(generator, b.label(), b.condition(), Sampler.Mode.INFERENCE, seed);
                BufferedImage image = ImageTensors.toImage(fake.get(0), -1f, 1f);
                out.add(new Drawing(rgb & 0xFFFFFF, ImageTensors.toImage(b.condition().get(0), 0f, 1f), image,
                        ImageMetrics.hairColorDeltaE(image, hair, rgb)));
            }
        }
        return new HairSweep(sample, out);
    }

    /** Mean hair ΔE2000 over the drawings (NaN without hair). */
    public double meanDeltaE() {
        return drawings.stream().mapToDouble(Drawing::hairDeltaE).average().orElse(Double.NaN);
    }

    /**
     * Two rows, enlarged {@code scale} times: the colour maps the generator was given, and below
     * each its drawing, captioned with the colour and the measured ΔE2000.
     */
    public BufferedImage image(int scale) {
        ImageGrid grid = new ImageGrid(drawings.size()).scale(scale);
        for (Drawing d : drawings) {
            grid.add(d.condition(), hex(d.requestedRgb()));
        }
        for (Drawing d : drawings) {
            grid.add(d.image(), String.format(Locale.ROOT, "ΔE %.1f", d.hairDeltaE()));
        }
        return grid.image();
    }

    /** One row per drawing: the requested colour and the hair ΔE2000. */
    public Table table() {
        StringColumn colour = StringColumn.create("requested hair");
        DoubleColumn dE = DoubleColumn.create("hair ΔE2000");
        for (Drawing d : drawings) {
            colour.append(hex(d.requestedRgb()));
            dE.append(d.hairDeltaE());
        }
        return Table.create("hair-colour sweep of " + sample.name(), colour, dE);
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
    }
}
