package org.spadeanime.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import org.spadeanime.label.LabelClass;

/**
 * Draws a picture and its label map together: every labelled shape is filled in the illustration
 * (anti-aliased, any paint) and in the label map (aliased, the exact palette colour, so the label
 * holds only palette colours). Shading, outlines and highlights go to the illustration only.
 */
final class TwoLayerCanvas {

    private final Graphics2D art;
    private final Graphics2D label;

    TwoLayerCanvas(BufferedImage artImage, BufferedImage labelImage) {
        art = artImage.createGraphics();
        art.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        art.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        art.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        art.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        label = labelImage.createGraphics();
        label.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        label.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
    }

    /** A labelled region: the class colour in the label map, {@code paint} in the illustration. */
    void fill(Shape shape, LabelClass cls, Paint paint) {
        label.setColor(new Color(cls.rgb()));
        label.fill(shape);
        paint(shape, paint);
    }

    /** Illustration only. */
    void paint(Shape shape, Paint paint) {
        art.setPaint(paint);
        art.fill(shape);
    }

    /** Illustration only, restricted to {@code clip}. */
    void paint(Shape shape, Shape clip, Paint paint) {
        Shape old = art.getClip();
        art.clip(clip);
        paint(shape, paint);
        art.setClip(old);
    }

    /** An ink line in the illustration (round caps and joins). */
    void line(Shape shape, Color colour, double width) {
        art.setColor(colour);
        art.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        art.draw(shape);
    }

    /** An ink line restricted to {@code clip}. */
    void line(Shape shape, Shape clip, Color colour, double width) {
        Shape old = art.getClip();
        art.clip(clip);
        line(shape, colour, width);
        art.setClip(old);
    }

    void dispose() {
        art.dispose();
        label.dispose();
    }
}
