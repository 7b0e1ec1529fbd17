package org.spadeanime;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.train.TrainOptions;

/**
 * The notebooks' knobs, read once from the environment the kernel started in:
 * {@code SPADE_PRESET} (a training preset: tiny, cpu128, cpu128-l1, mid or paper; default tiny), {@code MAX_STEPS} (a training budget
 * that overrides the notebook's per-preset default) and {@code SPADE_WEIGHTS} (the shipped weights
 * folder to draw with; default: the preset's). A notebook runs in {@code notebooks/}, so the
 * repository root is its parent folder.
 *
 * <pre>{@code
 * Knobs knobs = Knobs.fromEnv();
 * long steps = knobs.steps(3_000, 20_000, 100_000);   // MAX_STEPS, else tiny / mid / paper
 * Path data = knobs.repo().resolve("build/notebooks/synthetic-" + knobs.resolution());
 * }</pre>
 *
 * @param preset the preset's name, trimmed and lower case (a known one)
 * @param maxSteps MAX_STEPS, or -1 when unset
 * @param weights the name of the weights folder to draw with
 * @param repo the repository root (absolute)
 */
public record Knobs(String preset, long maxSteps, String weights, Path repo) {

    /** Checks the preset (an unknown name lists the known ones) and the step budget. */
    public Knobs {
        TrainOptions.preset(preset);
        if (maxSteps < -1 || maxSteps == 0) {
            throw new IllegalArgumentException("MAX_STEPS " + maxSteps + ": expected at least 1");
        }
    }

    /** The knobs of this process: its environment, the working directory's parent as the repository. */
    public static Knobs fromEnv() {
        return of(System.getenv(), Path.of(""));
    }

    /** The knobs of {@code env} for a notebook running in {@code notebookDir}. */
    public static Knobs of(Map<String, String> env, Path notebookDir) {
        String preset = env.getOrDefault("SPADE_PRESET", "tiny").trim().toLowerCase(Locale.ROOT);
        String steps = env.get("MAX_STEPS");
        long maxSteps;
        try {
            maxSteps = steps == null || steps.isBlank() ? -1 : Long.parseLong(steps.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MAX_STEPS '" + steps + "': expected a number of iterations", e);
        }
        Path repo = notebookDir.toAbsolutePath().normalize().getParent();
        return new Knobs(preset, maxSteps, env.getOrDefault("SPADE_WEIGHTS", preset).trim(), repo);
    }

    /** The preset's architecture. */
    public ModelOptions model() {
        return TrainOptions.preset(preset).model();
    }

    /** The preset's resolution (64, 128 or 256). */
    public int resolution() {
        return model().resolution();
    }

    /** MAX_STEPS when set, else the default of the preset's size: {@code tiny} (64²), {@code mid} (128²) or {@code paper}. */
    public long steps(long tiny, long mid, long paper) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return switch (resolution()) {
            case 64 -> tiny;
            case 128 -> mid;
            default -> paper;
        };
    }

    /** The zoom that draws the preset's images at least 128 pixels wide. */
    public int zoom() {
        return zoom(resolution());
    }

    /** The zoom that draws {@code size}-pixel images at least 128 pixels wide. */
    public static int zoom(int size) {
        return Math.max(1, 128 / size);
    }
}
