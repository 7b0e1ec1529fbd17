package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tablesaw, XChart and DJL objects made by notebook code after {@code %jars lib/target/lib/*.jar}, rendered
 * by the kernel, which itself has none of these libraries on its class path (as in a real kernel).
 */
class LibraryRenderersIT {

    private static CellEvaluator evaluator;
    private static SpadeKernel kernel;
    private static Renderer renderer;

    @BeforeAll
    static void loadTheLibrary() {
        evaluator = new CellEvaluator();
        kernel = new SpadeKernel(evaluator);
        renderer = kernel.getRenderer();
        evaluator.eval("%jars " + BuildPaths.libJars() + "/*.jar\n"
                + "import tech.tablesaw.api.*;\nimport ai.djl.ndarray.*;\nimport ai.djl.ndarray.types.*;\n"
                + "org.spadeanime.DjlRuntime.init();\nNDManager manager = NDManager.newBaseManager();", "In [1]");
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static DisplayData render(String code) {
        return renderer.render(evaluator.eval(code, "In [2]"));
    }

    private static String plain(String code) {
        return (String) render(code).getData(MIMEType.TEXT_PLAIN);
    }

    private static String table(int rows, String name) {
        return "Table t = Table.create(\"" + name + "\", IntColumn.create(\"i\"), StringColumn.create(\"s\"));\n"
                + "for (int r = 0; r < " + rows + "; r++) { t.intColumn(\"i\").append(r); t.stringColumn(\"s\").append(\"<v\" + r + \">\"); }\nt";
    }

    @Test
    void shortTablesShowEveryRowEscaped() {
        String html = (String) render(table(20, "a & b")).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>a &amp; b (20 rows, 2 columns)</caption>"), html);
        assertEquals(20, html.split("<tr><td>", -1).length - 1);
        assertTrue(html.contains("<tr><td>19</td><td>&lt;v19&gt;</td></tr>"), html);
        assertFalse(html.contains("&hellip;"));
    }

    @Test
    void longTablesShowHeadAndTail() {
        DisplayData d = render(table(21, "long"));
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertEquals(21, html.split("<tr><td>", -1).length - 1, "10 + ellipsis + 10");
        assertTrue(html.contains("<tr><td>9</td>") && html.contains("<tr><td>&hellip;</td><td>&hellip;</td></tr>")
                && html.contains("<tr><td>11</td>") && !html.contains("<tr><td>10</td>"), html);
        assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).contains("long"), "plain text stays Tablesaw's print");
    }

    @Test
    void chartsArePngAtTheirSize() throws Exception {
        DisplayData d = render("var c = new org.knowm.xchart.XYChartBuilder().width(300).height(150).title(\"d loss\").build();\n"
                + "c.addSeries(\"D\", new double[] {1, 2}, new double[] {3, 4});\nc");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG))));
        assertEquals(300, png.getWidth());
        assertEquals(150, png.getHeight());
        assertEquals("XYChart 300x150 \"d loss\"", d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void ndarraysAreOneLineSummaries() {
        assertEquals("NDArray shape=(2, 2) float32 cpu() min=-1.50000 max=4.00000 mean=1.12500",
                plain("manager.create(new float[] {-1.5f, 0f, 2f, 4f}, new Shape(2, 2))"));
        assertEquals("NDArray 'weights' shape=(3) int32 cpu() min=1.00000 max=3.00000 mean=2.00000",
                plain("NDArray w = manager.create(new int[] {1, 2, 3});\nw.setName(\"weights\");\nw"));
        assertEquals("NDArray shape=(2) boolean cpu()", plain("manager.create(new boolean[] {true, false})"));
        assertEquals("NDArray shape=(0, 3) float32 cpu()", plain("manager.create(new Shape(0, 3))"));
        String big = plain("manager.ones(new Shape(4, 3, 64, 64))");
        assertEquals("NDArray shape=(4, 3, 64, 64) float32 cpu() min=1.00000 max=1.00000 mean=1.00000", big);
    }

    @Test
    void summariesDoNotGrowTheManager() {
        evaluator.eval("NDArray x = manager.randomNormal(new Shape(8, 8));", "In [3]");
        int before = (Integer) evaluator.eval("manager.getManagedArrays().size()", "In [4]");
        for (int i = 0; i < 5; i++) {
            plain("x");
        }
        assertEquals(before, evaluator.eval("manager.getManagedArrays().size()", "In [5]"));
    }

    @Test
    void aReleasedArrayIsExplainedNotAFailure() {
        String text = plain("NDArray gone = manager.zeros(new Shape(2));\ngone.close();\ngone");
        assertTrue(text.startsWith("ai.djl.pytorch.engine.PtNDArray (not rendered: "), text);
        assertNull(render("new Shape(2, 3)").getData(MIMEType.TEXT_HTML));
        assertEquals("(2, 3)", plain("new Shape(2, 3)"));
    }
}
