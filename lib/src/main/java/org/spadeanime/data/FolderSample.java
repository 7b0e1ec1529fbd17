package org.spadeanime.data;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;

/**
 * One example of the folder format: {@code images/NAME.png}, {@code labels/NAME.png} and optionally
 * {@code colors/NAME.png}, all square and of the same size. Without a colour map the condition is
 * derived from the illustration ({@link HairColour}).
 */
record FolderSample(String name, Path image, Path label, Path colour) implements SampleSource {

    @Override
    public Path file() {
        return image;
    }

    @Override
    public void check() throws IOException {
        Dimension di = Png.size(image);
        checkSquare(image, di);
        checkSame(label, Png.size(label), di);
        if (colour != null) {
            checkSame(colour, Png.size(colour), di);
        }
    }

    private static void checkSquare(Path file, Dimension d) throws BadInputException {
        if (d.width != d.height) {
            throw new BadInputException(file, "expected a square image, got " + d.width + "×" + d.height
                    + " (crop or pad it to a square)");
        }
    }

    private void checkSame(Path file, Dimension d, Dimension di) throws BadInputException {
        if (!d.equals(di)) {
            throw new BadInputException(file, "size " + d.width + "×" + d.height + " does not match its image "
                    + image.getFileName() + " (" + di.width + "×" + di.height + "); expected the same size");
        }
    }

    @Override
    public SourceImages read() throws IOException {
        BufferedImage img = Png.read(image);
        Dimension di = new Dimension(img.getWidth(), img.getHeight());
        checkSquare(image, di);
        BufferedImage lab = Png.read(label);
        checkSame(label, new Dimension(lab.getWidth(), lab.getHeight()), di);
        int s = di.width;
        int[] col = null;
        if (colour != null) {
            BufferedImage c = Png.read(colour);
            checkSame(colour, new Dimension(c.getWidth(), c.getHeight()), di);
            col = Png.pixels(c, 0, 0, s, s);
        }
        return new SourceImages(s, Png.pixels(img, 0, 0, s, s), Png.pixels(lab, 0, 0, s, s), col, image, label, "the label");
    }
}
