package org.spadeanime.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;

/** The caption band that {@link Tiles} and {@link ImageGrid} draw above an image: dark text on light grey. */
final class Captions {

    /** Height in pixels of a caption band. */
    static final int HEIGHT = 18;
    /** Background of a caption band. */
    static final Color BACKGROUND = new Color(0xee, 0xee, 0xee);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);

    private Captions() {}

    /** Sets the caption font on {@code g}. */
    static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, HEIGHT - 6));
    }

    /** Draws a band of {@code width} at (x, top) with {@code text} (null: an empty band). */
    static void draw(Graphics2D g, String text, int x, int top, int width) {
        g.setColor(BACKGROUND);
        g.fillRect(x, top, width, HEIGHT);
        if (text != null) {
            TextThread.run(() -> {
                FontMetrics fm = g.getFontMetrics();
                g.setColor(TEXT);
                g.drawString(text, x + 4, top + (HEIGHT - fm.getHeight()) / 2 + fm.getAscent());
            });
        }
    }
}
