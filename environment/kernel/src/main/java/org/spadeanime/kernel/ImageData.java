package org.spadeanime.kernel;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Images as notebook data (PNG, JPEG, GIF in base64). Replaces JJava's Image renderer, which writes
 * through a Base64 wrap stream it never closes, so the last bytes (the PNG's IEND CRC) are lost.
 */
final class ImageData {

    private ImageData() {}

    static void render(RenderedImage image, RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> base64(image, "png"));
        context.renderIfRequested(MIMEType.IMAGE_JPEG, () -> base64(image, "jpeg"));
        context.renderIfRequested(MIMEType.IMAGE_GIF, () -> base64(image, "gif"));
    }

    static void render(InputStream in, RenderContext context) {
        try {
            render(ImageIO.read(in), context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image stream", e);
        }
    }

    /** The whole encoded file: it is written to memory first, then encoded in one call. */
    static String base64(RenderedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the image as " + format, e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
