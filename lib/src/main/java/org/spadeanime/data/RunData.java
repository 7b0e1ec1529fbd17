package org.spadeanime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spadeanime.io.BadInputException;

/**
 * How a run opens its data folders: at the model's resolution, with the model's label classes, and
 * skipping unusable files or not. A data folder whose palette has another class count is refused
 * here, not when the first batch meets the generator.
 *
 * @param resolution the model's resolution (samples are resized to it)
 * @param numClasses the model's label classes; the folder's palette must have as many
 * @param skipBad skip unusable data files (each logged) instead of stopping at the first
 */
public record RunData(int resolution, int numClasses, boolean skipBad) {

    /** Opens {@code dir}; {@code option} names the option the folder came from in errors. */
    public AnimeDataset open(Path dir, String option) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(dir == null ? Path.of("") : dir, "train option " + option
                    + ": no such data folder (expected triplet PNGs or images/ + labels/; `synth` writes a synthetic set)");
        }
        DatasetOptions o = DatasetOptions.defaults().withResolution(resolution);
        AnimeDataset d = AnimeDataset.open(dir, o.withSkipBad(skipBad));
        if (d.palette().channels() != numClasses) {
            throw new BadInputException(dir, "its label palette has " + d.palette().channels()
                    + " classes, but model.numClasses is " + numClasses);
        }
        return d;
    }

    /** The data set a run trained on ({@code runData}), or {@code override} when not null. */
    public AnimeDataset openOr(Path override, Path runData) throws IOException {
        return override != null ? open(override, "data") : open(runData,
                "data (from the generator's options; pass another data folder to use instead)");
    }
}
