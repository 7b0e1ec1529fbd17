package org.spadeanime.kernel;

import java.awt.image.RenderedImage;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** An XChart chart drawn by XChart's BitmapEncoder at the chart's size, shown as PNG. */
final class XChartPng extends LibraryRenderer {

    XChartPng() {
        super("org.knowm.xchart.internal.chartpart.Chart", MIMEType.IMAGE_PNG);
    }

    @Override
    void render(Class<?> chartType, Object chart, RenderContext context) {
        RenderedImage image = (RenderedImage) Reflect.callStatic(chartType, "org.knowm.xchart.BitmapEncoder",
                "getBufferedImage", chart);
        ImageData.render(image, context);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chart.getClass().getSimpleName() + " "
                + image.getWidth() + "x" + image.getHeight() + " \"" + Reflect.call(chartType, chart, "getTitle") + "\"");
    }
}
