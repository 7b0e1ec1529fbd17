package org.spadeanime.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.spadeanime.io.Png;

/**
 * The reference's sample tile: one row per sample, each row [label colours | real | generated]
 * side by side, rows stacked (the original: 1 train sample, then 2 validation samples). With
 * captions, each row gets a {@value #CAPTION_HEIGHT}-pixel band above it with its caption
 * ("train", "valid 1", ...) in dark text on light grey; without captions the tile is exactly
 * the original's, 3·W × rows·H pixels. The label colouring is done by the caller (LabelCodec).
 */
public final class Tiles {

    /** Height in pixels of a caption band. */
    public static final int CAPTION_HEIGHT = 18;
    /** Background of a caption band. */
    public static final Color CAPTION_BACKGROUND = new Color(0xee, 0xee, 0xee);

    /**
     * One row of the tile. All three images must have the same size.
     *
     * @param caption text for the row's caption band, or null
     */
    public record Row(BufferedImage label, BufferedImage real, BufferedImage generated, String caption) {

        /** A row without caption. */
        public Row(BufferedImage label, BufferedImage real, BufferedImage generated) {
            this(label, real, generated, null);
        }
    }

    private Tiles() {}

    /** Composes the tile; captions are drawn when any row has one. */
    public static BufferedImage compose(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("tile: no rows");
        }
        int w = rows.get(0).label().getWidth();
        int h = rows.get(0).label().getHeight();
        boolean captions = rows.stream().anyMatch(r -> r.caption() != null);
        int band = captions ? CAPTION_HEIGHT : 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (BufferedImage img : new BufferedImage[] {r.label(), r.real(), r.generated()}) {
                if (img.getWidth() != w || img.getHeight() != h) {
                    throw new IllegalArgumentException("tile row " + i + ": image of " + img.getWidth() + "x"
                            + img.getHeight() + ", expected " + w + "x" + h + " like the first label");
                }
            }
        }
        BufferedImage tile = new BufferedImage(3 * w, rows.size() * (h + band), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, CAPTION_HEIGHT - 6));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                int top = i * (h + band);
                if (captions) {
                    g.setColor(CAPTION_BACKGROUND);
                    g.fillRect(0, top, 3 * w, band);
                    if (r.caption() != null) {
                        g.setColor(new Color(0x22, 0x22, 0x22));
                        g.drawString(r.caption(), 4, top + (band - fm.getHeight()) / 2 + fm.getAscent());
                    }
                }
                g.drawImage(r.label(), 0, top + band, null);
                g.drawImage(r.real(), w, top + band, null);
                g.drawImage(r.generated(), 2 * w, top + band, null);
            }
        } finally {
            g.dispose();
        }
        return tile;
    }

    /** Composes the tile and writes it as PNG, atomically. */
    public static BufferedImage save(List<Row> rows, Path png) throws IOException {
        BufferedImage tile = compose(rows);
        Png.write(tile, png);
        return tile;
    }
}
