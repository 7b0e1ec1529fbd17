package org.spadeanime.data;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * One synthetic anime bust: the illustration, its label map (exact palette colours), the hair-colour
 * map (the hair colour on the hair pixels, black elsewhere) and the sampled hair colour (0xRRGGBB).
 */
public record SyntheticSample(int index, BufferedImage illustration, BufferedImage label,
                              BufferedImage colourMap, int hairRgb) {

    /** The original's training file layout: [illustration | label | hair-colour map], width 3×height. */
    public BufferedImage triplet() {
        int s = illustration.getHeight();
        BufferedImage t = new BufferedImage(3 * s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.drawImage(illustration, 0, 0, null);
        g.drawImage(label, s, 0, null);
        g.drawImage(colourMap, 2 * s, 0, null);
        g.dispose();
        return t;
    }
}
