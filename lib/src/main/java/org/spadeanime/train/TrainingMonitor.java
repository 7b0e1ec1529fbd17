package org.spadeanime.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.spadeanime.viz.ImageGrid;
import org.spadeanime.viz.LossChart;

/**
 * What a notebook shows while a run trains, kept up to date as a {@link TrainingListener}: loss
 * charts of D and G over every iteration of the run (also those before a resume), a progress bar
 * with steps/s and ETA, and the newest tile. It only renders; the training cell displays, because
 * Jupyter kernels show displays made from the cell's own thread — the thread that calls listeners:
 *
 * <pre>{@code
 * TrainingMonitor monitor = new TrainingMonitor(run, 2);
 * run.addListener(monitor);
 * String charts = display(monitor.charts()), bar = display(monitor.progressHtml(), "text/html");
 * run.addListener(new TrainingListener() {
 *     public void onStep(StepMetrics m) {
 *         if (monitor.redrawDue()) {
 *             updateDisplay(charts, monitor.charts());
 *             updateDisplay(bar, monitor.progressHtml(), "text/html");
 *         }
 *     }
 * });
 * }</pre>
 *
 * Rendering a chart takes tens of milliseconds, so {@link #redrawDue()} asks for a redraw at most
 * once per second (and at the last step of a {@link TrainingRun#train} call).
 */
public final class TrainingMonitor implements TrainingListener {

    /** Loss-chart size in pixels (each of the two). */
    public static final int CHART_WIDTH = 480;
    public static final int CHART_HEIGHT = 300;

    private final LossChart dChart;
    private final LossChart gChart;
    private final int tileScale;
    private final int resolution;
    private final int tileEvery;
    private final LongSupplier nanos;
    private final long redrawNanos;
    private long from;
    private long to;
    private long step;
    private long startNanos;
    private long lastRedraw;
    private boolean redrawn;
    private BufferedImage tile;
    private long tileStep = -1;

    /**
     * A monitor of {@code run} (its metrics so far are charted at once); tiles are shown enlarged
     * {@code tileScale} times.
     */
    public TrainingMonitor(TrainingRun run, int tileScale) {
        this(run.options(), run.metrics().rows(), run.step(), tileScale, System::nanoTime, 1.0);
    }

    /** For tests: any history, clock and redraw interval. */
    TrainingMonitor(TrainOptions options, List<StepMetrics> history, long step, int tileScale, LongSupplier nanos,
                    double redrawSeconds) {
        if (tileScale < 1) {
            throw new IllegalArgumentException("tile scale " + tileScale + ": expected at least 1");
        }
        this.tileScale = tileScale;
        this.resolution = options.model().resolution();
        this.tileEvery = options.tileEvery();
        this.nanos = nanos;
        this.redrawNanos = Math.round(redrawSeconds * 1e9);
        dChart = StepMetrics.chart(true, "discriminator", CHART_WIDTH, CHART_HEIGHT, options.adversarial());
        gChart = StepMetrics.chart(false, "generator", CHART_WIDTH, CHART_HEIGHT, options.adversarial());
        history.forEach(this::chart);
        this.step = step;
        this.from = step;
        this.to = step;
        this.startNanos = nanos.getAsLong();
    }

    @Override
    public void onStart(TrainingRun run, long fromStep, long toStep) {
        from = fromStep;
        to = toStep;
        step = fromStep;
        startNanos = nanos.getAsLong();
        redrawn = false;
    }

    @Override
    public void onStep(StepMetrics m) {
        chart(m);
        step = m.step();
    }

    @Override
    public void onTile(long tileAt, BufferedImage image, Path file) {
        tile = image;
        tileStep = tileAt;
    }

    private void chart(StepMetrics m) {
        m.addTo(dChart, true);
        m.addTo(gChart, false);
    }

    /** Completed iterations of the run. */
    public long step() {
        return step;
    }

    /** Iterations per second in the current {@link TrainingRun#train} call; NaN before its first. */
    public double stepsPerSecond() {
        return pace().stepsPerSecond();
    }

    /** Seconds until the call's last iteration at the current rate; -1 while unknown. */
    public long etaSeconds() {
        return pace().etaSeconds();
    }

    private Pace pace() {
        return new Pace(from, to, step, (nanos.getAsLong() - startNanos) / 1e9);
    }

    /**
     * "step 120 / 200 (60 %) · 3.41 steps/s · ETA 0:00:23": steps and % of the run, as the CLI's
     * {@link ProgressLine} counts them (a resumed run starts part-way); the rate and ETA of this call.
     */
    public String progressText() {
        Pace pace = pace();
        double rate = pace.stepsPerSecond();
        long eta = pace.etaSeconds();
        return String.format(Locale.ROOT, "step %d / %d (%d %%) · %s steps/s · ETA %s", step, to, pace.percent(),
                Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.2f", rate), eta < 0 ? "–" : Pace.clock(eta));
    }

    /** An HTML progress bar of the run (the same steps as the text) followed by {@link #progressText()}. */
    public String progressHtml() {
        return String.format(Locale.ROOT, "<div style=\"font-family:monospace\"><progress value=\"%d\" max=\"%d\""
                + " style=\"width:24em;vertical-align:middle\"></progress> %s</div>", step, Math.max(1, to),
                progressText());
    }

    /**
     * Whether the displays should be redrawn now: true for the first step of a call, then at most
     * once per redraw interval, and always at the call's last step. Answering true starts a new interval.
     */
    public boolean redrawDue() {
        long now = nanos.getAsLong();
        if (!redrawn || now - lastRedraw >= redrawNanos || step >= to) {
            redrawn = true;
            lastRedraw = now;
            return true;
        }
        return false;
    }

    /** The D and G loss charts side by side (EMA-smoothed, D on a log axis unless WGAN). */
    public BufferedImage charts() {
        return ImageGrid.of(List.of(dChart.render(), gChart.render()), 2);
    }

    /** The D loss chart (for a chart of its own or a PNG). */
    public LossChart dChart() {
        return dChart;
    }

    /** The G loss chart. */
    public LossChart gChart() {
        return gChart;
    }

    /** The newest tile, enlarged and captioned with its step; before the first, a grey placeholder. */
    public BufferedImage tile() {
        if (tile != null) {
            return new ImageGrid(1).scale(tileScale).add(tile, "tile of step " + tileStep).image();
        }
        BufferedImage empty = new BufferedImage(3 * resolution, 3 * resolution, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = empty.createGraphics();
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, empty.getWidth(), empty.getHeight());
        g.dispose();
        return new ImageGrid(1).scale(tileScale).add(empty, tileEvery > 0 ? "a tile every " + tileEvery + " steps"
                : "no tiles (tileEvery 0)").image();
    }
}
