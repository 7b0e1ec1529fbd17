package org.spadeanime.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.spadeanime.io.Png;

/**
 * A training-curve chart: one line per loss term against the step, drawn with XChart at a fixed
 * size, optionally smoothed (exponential moving average) and on a logarithmic y axis. Points are
 * added as training runs ({@link #add}); {@link #render} draws the current state, so a notebook
 * can re-render it in place from the training cell. Not thread-safe.
 *
 * <p>Non-finite values are skipped (and, on a log axis, values ≤ 0, which it cannot show; hinge
 * and WGAN terms can be negative, so use a linear axis for those). Long runs are drawn from at
 * most {@link #maxPoints} bucket means per series, so rendering stays fast at 100,000 steps.
 */
public final class LossChart {

    /** Distinct, colour-blind-friendly line colours (Okabe–Ito), in series order. */
    public static final List<Color> PALETTE = List.of(new Color(0, 114, 178), new Color(213, 94, 0),
            new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233),
            new Color(0, 0, 0), new Color(240, 228, 66));

    private final String title;
    private final int width;
    private final int height;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private double smoothing;
    private boolean logScale;
    private int maxPoints = 1000;

    /** An empty chart of {@code width} × {@code height} pixels. */
    public LossChart(String title, int width, int height) {
        if (width < 100 || height < 80) {
            throw new IllegalArgumentException("loss chart size " + width + "x" + height + ": expected at least 100x80");
        }
        this.title = title;
        this.width = width;
        this.height = height;
    }

    /**
     * EMA smoothing weight w in [0, 1): drawn value s_t = w·s_{t−1} + (1 − w)·x_t, s_0 = x_0;
     * 0 (default) draws the raw values.
     */
    public LossChart smoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight " + weight + ": expected in [0, 1)");
        }
        this.smoothing = weight;
        return this;
    }

    /** Logarithmic y axis (values ≤ 0 are then left out). */
    public LossChart logScale(boolean on) {
        this.logScale = on;
        return this;
    }

    /** At most this many drawn points per series (bucket means); ≥ 2. */
    public LossChart maxPoints(int points) {
        if (points < 2) {
            throw new IllegalArgumentException("max points " + points + ": expected >= 2");
        }
        this.maxPoints = points;
        return this;
    }

    /** Adds one value of the term {@code name} at {@code step}; steps should increase per series. */
    public LossChart add(String name, long step, double value) {
        if (Double.isFinite(value)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {step, value});
        }
        return this;
    }

    /** Adds the values of several terms at one step (e.g. a metrics row). */
    public LossChart addAll(long step, Map<String, ? extends Number> values) {
        values.forEach((name, v) -> add(name, step, v.doubleValue()));
        return this;
    }

    /** The terms added so far, in first-seen order. */
    public List<String> seriesNames() {
        return List.copyOf(series.keySet());
    }

    /** The (step, value) points of a term as drawn: smoothed, log-filtered, bucketed. */
    public double[][] drawnPoints(String name) {
        List<double[]> raw = series.getOrDefault(name, List.of());
        List<double[]> pts = new ArrayList<>(raw.size());
        double s = Double.NaN;
        for (double[] p : raw) {
            s = Double.isNaN(s) ? p[1] : smoothing * s + (1 - smoothing) * p[1];
            if (!logScale || s > 0) {
                pts.add(new double[] {p[0], s});
            }
        }
        int bucket = (pts.size() + maxPoints - 1) / maxPoints;
        if (bucket <= 1) {
            return new double[][] {pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()};
        }
        int n = (pts.size() + bucket - 1) / bucket;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            int from = i * bucket;
            int to = Math.min(pts.size(), from + bucket);
            for (int k = from; k < to; k++) {
                xs[i] += pts.get(k)[0] / (to - from);
                ys[i] += pts.get(k)[1] / (to - from);
            }
        }
        return new double[][] {xs, ys};
    }

    /** The XChart chart of the current points (for notebooks that display XChart objects). */
    public XYChart toXChart() {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle("step");
        chart.setYAxisTitle(smoothing > 0 ? "loss (EMA " + smoothing + ")" : "loss");
        chart.getStyler().setYAxisLogarithmic(logScale);
        // below the plot in one row: a legend inside the plot covered the curves' ends
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 200));
        chart.getStyler().setAntiAlias(true);
        int i = 0;
        double[] first = null;
        for (String name : series.keySet()) {
            double[][] pts = drawnPoints(name);
            if (pts[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(name, pts[0], pts[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE.get(i++ % PALETTE.size()));
            s.setLineStyle(new BasicStroke(1.5f));
            first = first == null ? new double[] {pts[0][0], pts[1][0]} : first;
        }
        if (first != null) {
            // XChart puts x ticks on the data values when all x values are equally spaced (steps
            // are), giving ticks like 1, 217, 433; one invisible off-grid point makes it choose
            // round numbers (0, 500, 1000) instead.
            XYSeries hidden = chart.addSeries(" ", new double[] {first[0] + 1e-3}, new double[] {first[1]});
            hidden.setMarker(SeriesMarkers.NONE);
            hidden.setShowInLegend(false);
        }
        return chart;
    }

    /** The chart as a {@code width} × {@code height} RGB image (an empty chart says "no data yet"). */
    public BufferedImage render() {
        XYChart chart = toXChart();
        if (chart.getSeriesMap().isEmpty()) {
            XYSeries s = chart.addSeries("no data yet", new double[] {0, 1}, new double[] {1, 1});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(0, 0, 0, 0));
        }
        return Png.toRgb(TextThread.call(() -> BitmapEncoder.getBufferedImage(chart)));
    }

    /** Renders and writes a PNG atomically. */
    public void save(Path png) throws IOException {
        Png.write(render(), png);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
