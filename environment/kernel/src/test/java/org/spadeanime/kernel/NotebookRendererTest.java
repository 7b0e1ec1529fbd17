package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.BaseNotebookStatics;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's renderer without any library on the class path (the libraries' renderers are tested in
 * LibraryRenderersIT).
 */
class NotebookRendererTest {

    private static SpadeKernel kernel;
    private static Renderer renderer;

    @BeforeAll
    static void start() {
        kernel = new SpadeKernel(new CellEvaluator());
        renderer = kernel.getRenderer();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void javaArraysAreReadable() {
        assertEquals("int[3] {1, 2, 3}", text(new int[] {1, 2, 3}));
        assertEquals("String[2] {\"a\", null}", text(new String[] {"a", null}));
        assertEquals("double[2][] {double[1] {0.5}, double[0] {}}", text(new double[][] {{0.5}, {}}));
        String longOne = text(new long[250]);
        assertEquals("long[250] {", longOne.substring(0, 11));
        assertEquals(", ... 150 more}", longOne.substring(longOne.length() - 15));
    }

    @Test
    void imagesArePng() throws Exception {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(4, 2, 0x123456);
        DisplayData d = renderer.render(img);
        assertNull(PngCheck.problem((String) d.getData(MIMEType.IMAGE_PNG)), "a complete PNG, IEND and its CRC included");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG))));
        assertEquals(5, back.getWidth());
        assertEquals(0x123456, back.getRGB(4, 2) & 0xffffff);
    }

    @Test
    void plainObjectsAndExplicitMimeTypesStillWork() {
        assertEquals("42", renderer.render(42).getData(MIMEType.TEXT_PLAIN));
        DisplayData html = renderer.renderAs("<b>bold</b>", "text/html");
        assertNotNull(html.getData(MIMEType.TEXT_HTML));
        assertNull(renderer.render(new Object() { }).getData(MIMEType.TEXT_HTML));
    }

    @Test
    void displayNeedsARunningKernel() {
        // Notebook code calls display() through the kernel; outside one the error says so.
        NullPointerException e = assertThrows(NullPointerException.class, () -> BaseNotebookStatics.display("x"));
        assertEquals("No kernel running. Likely called outside of the notebook lifecycle", e.getMessage());
    }

    private String text(Object value) {
        return (String) renderer.render(value).getData(MIMEType.TEXT_PLAIN);
    }
}
