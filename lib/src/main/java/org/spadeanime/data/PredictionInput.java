package org.spadeanime.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Png;
import org.spadeanime.io.Resample;
import org.spadeanime.label.LabelMap;
import org.spadeanime.label.LabelPalette;

/**
 * Reads what the generator is asked to draw, as in the original's predict step: a label PNG alone
 * (square; a random RGB hair colour fills the hair), or a [label | hair-colour map] PNG of width
 * 2×height. The result is a {@link Sample} without target; {@link Batch#of} stacks several.
 */
public final class PredictionInput {

    private PredictionInput() {}

    /**
     * Reads one input at {@code resolution}; {@code random} draws the hair colour of a label-only file.
     * The sample's name is the file name without extension.
     */
    public static Sample read(Path file, LabelPalette palette, int resolution, Random random) throws IOException {
        BufferedImage img = Png.read(file);
        int w = img.getWidth();
        int h = img.getHeight();
        if (w != h && w != 2 * h) {
            throw new BadInputException(file, "expected a square label PNG or a [label | hair-colour map] PNG of width"
                    + " 2×height, got " + w + "×" + h);
        }
        int[] labelPx = Png.pixels(img, 0, 0, h, h);
        SourceImages src = new SourceImages(h, null, labelPx, w == 2 * h ? Png.pixels(img, h, 0, h, h) : null, file, file,
                w == 2 * h ? "its label (the left half)" : "the label");
        SampleDecoder decoder = new SampleDecoder(palette, resolution);
        LabelMap label = decoder.decodeLabel(src).resized(resolution, resolution);
        int plane = resolution * resolution;
        int hairRgb = -1;
        float[] condition;
        if (src.colour() != null) {
            condition = Resample.planar(ImageTensors.planar(src.colour()), 3, h, h, resolution, resolution);
        } else {
            hairRgb = random.nextInt(0x1000000);
            condition = SampleDecoder.flat(hairRgb, plane);
        }
        SampleDecoder.maskToHair(condition, label, palette.hairChannel());
        String n = file.getFileName().toString();
        return new Sample(n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n, label, condition, null, hairRgb, false);
    }
}
