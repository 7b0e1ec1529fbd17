package org.spadeanime.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.spadeanime.io.AtomicFiles;

/**
 * The layout of a training run on disk:
 *
 * <pre>
 *   RUN/options.json                     the run's {@link TrainOptions}
 *   RUN/metrics.csv                      one row per iteration ({@link MetricsLog})
 *   RUN/checkpoints/step-00000100/       one folder per checkpoint ({@link TrainingCheckpoint})
 *   RUN/checkpoints/latest               the name of the newest complete checkpoint folder
 *   RUN/tiles/step-00000050.png          result tiles
 *   RUN/losses-d.png, RUN/losses-g.png   loss curves, redrawn with every checkpoint
 * </pre>
 *
 * Checkpoint folders appear by an atomic rename, and {@code latest} is rewritten atomically after
 * each, so a run killed at any moment has a readable newest checkpoint.
 */
public final class RunFolder {

    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d{8,})");

    private final Path root;

    public RunFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path optionsFile() {
        return root.resolve("options.json");
    }

    public Path metricsFile() {
        return root.resolve("metrics.csv");
    }

    public Path checkpointsDir() {
        return root.resolve("checkpoints");
    }

    public Path tilesDir() {
        return root.resolve("tiles");
    }

    /** The folder of the checkpoint after {@code step} iterations. */
    public Path checkpoint(long step) {
        return checkpointsDir().resolve(String.format(Locale.ROOT, "step-%08d", step));
    }

    /** The tile file of {@code step}. */
    public Path tile(long step) {
        return tilesDir().resolve(String.format(Locale.ROOT, "step-%08d.png", step));
    }

    /** The loss chart of the discriminator ("d") or the generator ("g"). */
    public Path chart(String network) {
        return root.resolve("losses-" + network + ".png");
    }

    /** Whether {@code root} looks like a run folder (it has options.json). */
    public boolean exists() {
        return Files.isRegularFile(optionsFile());
    }

    /** Records {@code checkpoint} as the newest complete checkpoint (atomically). */
    public void setLatest(Path checkpoint) throws IOException {
        AtomicFiles.writeString(checkpointsDir().resolve("latest"), checkpoint.getFileName() + "\n");
        AtomicFiles.forceFolder(checkpointsDir());
    }

    /** The checkpoint {@code latest} names, or null if there is none (or it is gone). */
    public Path latest() throws IOException {
        Path pointer = checkpointsDir().resolve("latest");
        if (!Files.isRegularFile(pointer)) {
            return null;
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        Path p = checkpointsDir().resolve(name);
        return CHECKPOINT.matcher(name).matches() && Files.isDirectory(p) ? p : null;
    }

    /** Every checkpoint folder, newest (highest step) first. */
    public List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(checkpointsDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpointsDir())) {
            List<Path> out = new ArrayList<>(s.filter(p -> Files.isDirectory(p)
                    && CHECKPOINT.matcher(p.getFileName().toString()).matches()).toList());
            out.sort(Comparator.comparingLong(RunFolder::stepOf).reversed());
            return out;
        }
    }

    /** The step of a checkpoint folder name such as step-00000100. */
    public static long stepOf(Path checkpoint) {
        Matcher m = CHECKPOINT.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(checkpoint + " is not a checkpoint folder (expected step-NNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    /** Deletes all but the newest {@code keep} checkpoints (never the one {@code latest} names). */
    public void prune(int keep) throws IOException {
        Path latest = latest();
        List<Path> all = checkpoints();
        for (int i = keep; i < all.size(); i++) {
            if (!all.get(i).equals(latest)) {
                AtomicFiles.deleteTree(all.get(i));
            }
        }
    }

    /** Removes what a killed run may have left half-written (hidden *.tmp files and folders). */
    public int deleteLeftovers() throws IOException {
        return AtomicFiles.deleteLeftovers(root) + AtomicFiles.deleteLeftovers(checkpointsDir())
                + AtomicFiles.deleteLeftovers(tilesDir());
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
