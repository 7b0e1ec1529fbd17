package org.spadeanime.data;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;

/** The original's training file: one PNG of width 3×height, [illustration | label | hair-colour map]. */
record TripletFile(String name, Path file) implements SampleSource {

    static final String LAYOUT = "a triplet PNG [illustration | label | hair-colour map] of width 3×height";

    @Override
    public void check() throws IOException {
        Dimension d = Png.size(file);
        checkShape(d.width, d.height);
    }

    private void checkShape(int w, int h) throws BadInputException {
        if (w != 3 * h) {
            throw new BadInputException(file, "expected " + LAYOUT + ", got " + w + "×" + h
                    + (w == 2 * h ? " (2×height: a prediction input [label | colour]?)" : ""));
        }
    }

    @Override
    public SourceImages read() throws IOException {
        BufferedImage img = Png.read(file);
        int h = img.getHeight();
        checkShape(img.getWidth(), h);
        return new SourceImages(h, Png.pixels(img, 0, 0, h, h), Png.pixels(img, h, 0, h, h),
                Png.pixels(img, 2 * h, 0, h, h), file, file, "its label (the middle third)");
    }
}
