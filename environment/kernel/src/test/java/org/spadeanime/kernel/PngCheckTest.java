package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngCheckTest {

    @Test
    void aCompletePngPassesAndJJavasUnclosedBase64StreamIsCaught() throws IOException {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        assertNull(PngCheck.problem(ImageData.base64(img, "png")));
        // what jjava-jupyter 1.0-a6's Image.imageTob64 does: the wrap stream is never closed, which loses
        // the last 1 or 2 bytes unless the PNG's length is a multiple of 3
        String cut = null;
        for (int w = 1; cut == null; w++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OutputStream unclosed = Base64.getEncoder().wrap(out);
            BufferedImage probe = new BufferedImage(w, 5, BufferedImage.TYPE_INT_RGB);
            ImageIO.write(probe, "png", unclosed);
            String encoded = out.toString("US-ASCII");
            cut = encoded.equals(ImageData.base64(probe, "png")) ? null : encoded;
        }
        String problem = PngCheck.problem(cut);
        assertTrue(cut.endsWith("SUVORK5C") && problem != null && problem.startsWith("truncated"), cut + ": " + problem);
        assertEquals("no PNG signature", PngCheck.problem(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})));
    }
}
