package org.spadeanime.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Images side by side in rows of {@code columns}, each optionally with a caption in a band above
 * it (as {@link Tiles} draws them), on a white background with a small gap. Every cell is as large
 * as the largest image; smaller ones sit in its top-left corner. {@link #scale} enlarges all images
 * by an integer factor with nearest neighbours (64² samples stay crisp at 128²).
 *
 * <pre>{@code
 * display(new ImageGrid(4).scale(2).add(label, "label").add(image, "generated").image());
 * display(ImageGrid.of(images, 6));
 * }</pre>
 */
public final class ImageGrid {

    private final int columns;
    private final List<BufferedImage> images = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();
    private int scale = 1;
    private int gap = 2;

    /** An empty grid with this many images per row. */
    public ImageGrid(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("image grid: columns " + columns + ", expected >= 1");
        }
        this.columns = columns;
    }

    /** The images in rows of {@code columns}, without captions. */
    public static BufferedImage of(List<BufferedImage> images, int columns) {
        ImageGrid g = new ImageGrid(columns);
        images.forEach(g::add);
        return g.image();
    }

    /** Enlarges every image by {@code factor} (nearest neighbours). */
    public ImageGrid scale(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("image grid: scale " + factor + ", expected >= 1");
        }
        scale = factor;
        return this;
    }

    /** Pixels between cells (default 2). */
    public ImageGrid gap(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("image grid: gap " + pixels + ", expected >= 0");
        }
        gap = pixels;
        return this;
    }

    /** Adds an image without caption. */
    public ImageGrid add(BufferedImage image) {
        return add(image, null);
    }

    /** Adds an image with a caption (null: none). */
    public ImageGrid add(BufferedImage image, String caption) {
        if (image == null) {
            throw new IllegalArgumentException("image grid: image " + images.size() + " is null");
        }
        images.add(image);
        captions.add(caption);
        return this;
    }

    /** Adds images with captions {@code prefix + 0}, {@code prefix + 1}, … (e.g. "ch " for channels). */
    public ImageGrid addAll(List<BufferedImage> images, String prefix) {
        for (int i = 0; i < images.size(); i++) {
            add(images.get(i), prefix + i);
        }
        return this;
    }

    /** Adds images with the given captions, one each. */
    public ImageGrid addAll(List<BufferedImage> images, List<String> captions) {
        if (images.size() != captions.size()) {
            throw new IllegalArgumentException("image grid: " + images.size() + " images but " + captions.size() + " captions");
        }
        for (int i = 0; i < images.size(); i++) {
            add(images.get(i), captions.get(i));
        }
        return this;
    }

    /** Number of images added. */
    public int size() {
        return images.size();
    }

    /** The composed grid. */
    public BufferedImage image() {
        if (images.isEmpty()) {
            throw new IllegalStateException("image grid: no images added");
        }
        int cw = 0;
        int ch = 0;
        for (BufferedImage img : images) {
            cw = Math.max(cw, img.getWidth() * scale);
            ch = Math.max(ch, img.getHeight() * scale);
        }
        boolean withCaptions = captions.stream().anyMatch(c -> c != null);
        int band = withCaptions ? Captions.HEIGHT : 0;
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + columns - 1) / columns;
        int width = cols * cw + (cols - 1) * gap;
        int height = rows * (ch + band) + (rows - 1) * gap;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            Captions.prepare(g);
            for (int i = 0; i < images.size(); i++) {
                int x = (i % columns) * (cw + gap);
                int y = (i / columns) * (ch + band + gap);
                if (withCaptions) {
                    Captions.draw(g, captions.get(i), x, y, cw);
                }
                BufferedImage img = images.get(i);
                g.drawImage(img, x, y + band, img.getWidth() * scale, img.getHeight() * scale, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
