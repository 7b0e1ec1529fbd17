package org.spadeanime.train;

import java.util.Locale;

/**
 * How far a {@link TrainingRun#train} call has come: the rate of this call, its ETA, and the percent
 * of the run's steps (a resumed run starts part-way, so 150 of 200 is 75 %, however few this call
 * trained). {@link ProgressLine} and {@link TrainingMonitor} both show it, and the segmenter's training
 * ({@code segment.SegmenterTraining}) its rate and ETA.
 *
 * @param from the step the call started from
 * @param to the step the call ends at
 * @param step the steps completed
 * @param seconds wall time of the call so far
 */
public record Pace(long from, long to, long step, double seconds) {

    /** Steps per second in this call; NaN before its first step. */
    public double stepsPerSecond() {
        return step > from && seconds > 0 ? (step - from) / seconds : Double.NaN;
    }

    /** Seconds until {@link #to} at the current rate; -1 while unknown. */
    public long etaSeconds() {
        double rate = stepsPerSecond();
        return Double.isNaN(rate) ? -1 : Math.round((to - step) / rate);
    }

    /** Percent of the run's steps done: step / to. */
    public long percent() {
        return Math.round(100.0 * step / Math.max(1, to));
    }

    /** h:mm:ss. */
    public static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
