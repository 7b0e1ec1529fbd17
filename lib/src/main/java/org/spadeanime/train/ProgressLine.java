package org.spadeanime.train;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A terminal progress line for a {@link TrainingRun}:
 * {@code step 120/200 (60%)  3.4 steps/s  ETA 0:00:23  D 1.002  G 1.413}, every {@code every}
 * steps. On a terminal the line is redrawn in place ({@code \r}); in a log file each update is a
 * line of its own. Checkpoints, tiles and messages get lines of their own.
 */
public final class ProgressLine implements TrainingListener {

    private final PrintWriter out;
    private final int every;
    private final boolean redraw;
    private long from;
    private long to;
    private long startNanos;
    private boolean open;

    /**
     * @param every steps between updates (≥ 1)
     * @param redraw redraw one line in place (a terminal) instead of printing a line per update
     */
    public ProgressLine(PrintWriter out, int every, boolean redraw) {
        this.out = out;
        this.every = Math.max(1, every);
        this.redraw = redraw;
    }

    @Override
    public void onStart(TrainingRun run, long fromStep, long toStep) {
        start(fromStep, toStep);
        println(String.format(Locale.ROOT, "training %s from step %d to %d in %s", run.options().model().resolution()
                + "² model", fromStep, toStep, run.folder().root()));
    }

    /** Starts counting a call from {@code fromStep} to {@code toStep} (tests: without a run). */
    void start(long fromStep, long toStep) {
        from = fromStep;
        to = toStep;
        startNanos = System.nanoTime();
    }

    @Override
    public void onStep(StepMetrics m) {
        if (m.step() % every != 0 && m.step() != to) {
            return;
        }
        Pace pace = new Pace(from, to, m.step(), Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9));
        String line = String.format(Locale.ROOT, "step %d/%d (%d%%)  %.2f steps/s  ETA %s  D %.4g  G %.4g",
                m.step(), to, pace.percent(), pace.stepsPerSecond(), Pace.clock(pace.etaSeconds()), m.dTotal(),
                m.gTotal());
        if (redraw) {
            out.print("\r" + line + "   ");
            open = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onCheckpoint(long step, Path folder) {
        println("checkpoint of step " + step + ": " + folder);
    }

    @Override
    public void onTile(long step, BufferedImage tile, Path file) {
        println("tile of step " + step + ": " + file);
    }

    @Override
    public void onMessage(String message) {
        println(message);
    }

    @Override
    public void onFinish(long step) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        println(String.format(Locale.ROOT, "stopped at step %d after %s (%d steps)", step, Pace.clock(Math.round(secs)),
                step - from));
    }

    private void println(String s) {
        if (open) {
            out.println();
            open = false;
        }
        out.println(s);
        out.flush();
    }
}
