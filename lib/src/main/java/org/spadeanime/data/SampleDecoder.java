package org.spadeanime.data;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Resample;
import org.spadeanime.label.LabelMap;
import org.spadeanime.label.LabelPalette;

/**
 * Turns decoded source pixels into a {@link Sample} at the data set's resolution: decodes the label
 * with the palette (a label without any palette colour is an error; many unmatched pixels a warning),
 * resizes (nearest for labels, area/bilinear for images), and builds the condition: the colour map,
 * or the median hair colour of the illustration when there is none, times the hair mask.
 * Thread-safe (each call uses its own codec).
 */
final class SampleDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(SampleDecoder.class);
    /** Warn when more than this fraction of a label's pixels match no palette colour. */
    static final double WARN_UNMATCHED = 0.05;
    private static final int MAX_WARNINGS = 10;

    private final LabelPalette palette;
    private final int resolution;
    private final int hairChannel;
    private final AtomicInteger warnings = new AtomicInteger();

    SampleDecoder(LabelPalette palette, int resolution) {
        this.palette = palette;
        this.resolution = resolution;
        this.hairChannel = palette.hairChannel();
    }

    /** The label at file resolution, checked: at least one pixel must have a palette colour. */
    LabelMap decodeLabel(SourceImages src) throws BadInputException {
        LabelMap full = palette.codec().decode(src.label(), src.size(), src.size());
        if (full.matched() == 0) {
            throw new BadInputException(src.labelFile(), src.labelWhere() + " has no pixel in a palette colour;"
                    + " expected the colours " + palette.all() + " (a different palette? pass a palette file)");
        }
        if (full.unmatchedFraction() > WARN_UNMATCHED && warnings.getAndIncrement() < MAX_WARNINGS) {
            LOG.warn("{}: {} has {} % of its pixels in no palette colour (read as background); palette {}",
                    src.labelFile(), src.labelWhere(), String.format(Locale.ROOT, "%.1f", 100 * full.unmatchedFraction()),
                    palette);
        }
        return full;
    }

    Sample decode(String name, SourceImages src) throws BadInputException {
        LabelMap full = decodeLabel(src);
        int s = src.size();
        int r = resolution;
        LabelMap label = full.resized(r, r);
        float[] target = Resample.planar(ImageTensors.planar(src.illustration()), 3, s, s, r, r);
        for (int i = 0; i < target.length; i++) {
            target[i] = target[i] * 2f - 1f;
        }
        int plane = r * r;
        float[] condition;
        int hairRgb = -1;
        if (src.colour() != null) {
            condition = Resample.planar(ImageTensors.planar(src.colour()), 3, s, s, r, r);
        } else {
            hairRgb = HairColour.median(src.illustration(), full, hairChannel);
            condition = flat(hairRgb < 0 ? 0 : hairRgb, plane);
        }
        maskToHair(condition, label, hairChannel);
        return new Sample(name, label, condition, target, hairRgb, false);
    }

    /** Zeroes a (3, H, W) map outside the hair: the original's colour map × hair mask. */
    static void maskToHair(float[] map, LabelMap label, int hairChannel) {
        int plane = label.width() * label.height();
        int code = hairChannel + 1;
        for (int i = 0; i < plane; i++) {
            if (label.code(i) != code) {
                map[i] = 0;
                map[plane + i] = 0;
                map[2 * plane + i] = 0;
            }
        }
    }

    /** A (3, H, W) map filled with one colour, in [0, 1]. */
    static float[] flat(int rgb, int plane) {
        float[] out = new float[3 * plane];
        java.util.Arrays.fill(out, 0, plane, ((rgb >> 16) & 0xFF) / 255f);
        java.util.Arrays.fill(out, plane, 2 * plane, ((rgb >> 8) & 0xFF) / 255f);
        java.util.Arrays.fill(out, 2 * plane, 3 * plane, (rgb & 0xFF) / 255f);
        return out;
    }
}
