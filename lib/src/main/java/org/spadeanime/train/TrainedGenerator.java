package org.spadeanime.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.infer.Predictor;
import org.spadeanime.infer.Sampler;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.SpadeGenerator;

/**
 * A trained generator to draw with: either shipped weights or the newest checkpoint of a run.
 *
 * <p>Shipped weights live in {@code weights/<preset>/} (e.g. {@code weights/tiny/}), written by
 * {@link #export} (CLI: {@code export --from RUN --out weights/tiny}):
 * <pre>
 *   generator.ckpt   the generator with its model options ({@link SpadeGenerator#save})
 *   weights.json     format, step, training seconds, the run's {@link TrainOptions} (data folder,
 *                    seed and validation fraction, so the result tile can show the run's own
 *                    train/valid samples), and the size and CRC-32 of generator.ckpt
 *   manifest.json    size and SHA-256 of both files and the model options ({@link Manifest})
 * </pre>
 * The folder is written as a whole (a failed or killed export leaves the previous one); files the
 * kit did not write there (a tile, a sweep, a README) are carried over.
 * Only the generator is shipped: drawing needs neither D nor the optimizer state (a run folder's
 * checkpoints hold those, to resume training). Other files there (a README, a tile) are left alone.
 *
 * @param generatorFile the generator checkpoint
 * @param options the options of the run that trained it
 * @param step the iterations it was trained for
 * @param trainedSeconds the wall time of those iterations (sum of the metrics' step times; NaN if unknown)
 * @param source where it was found (for messages)
 * @param averaged whether the file holds the generator's moving average ({@link GeneratorEma}), not
 *     the raw generator the optimizer trained
 */
public record TrainedGenerator(Path generatorFile, TrainOptions options, long step, double trainedSeconds,
                               String source, boolean averaged) {

    /** The generator file of a weights folder. */
    public static final String GENERATOR = "generator.ckpt";
    /** The description file of a weights folder. */
    public static final String DESCRIPTION = "weights.json";
    private static final String FORMAT = "spade-anime-weights/1";

    /** The weights folder of a preset: {@code weightsRoot/<preset>} (lower case). */
    public static Path folder(Path weightsRoot, String preset) {
        return weightsRoot.resolve(preset.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code folder} holds shipped weights (a {@value #DESCRIPTION}). */
    public static boolean isWeightsFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(DESCRIPTION));
    }

    /**
     * Shipped weights in {@code weightsFolder} if it has them, else the newest readable checkpoint of
     * the run in {@code runFolder}; an error names both places when neither has a generator.
     */
    public static TrainedGenerator find(Path weightsFolder, Path runFolder) throws IOException {
        if (isWeightsFolder(weightsFolder)) {
            return read(weightsFolder);
        }
        if (Files.isDirectory(new RunFolder(runFolder).checkpointsDir())) {
            return of(TrainingCheckpoint.newest(new RunFolder(runFolder), new ArrayList<>()));
        }
        throw new BadInputException(weightsFolder, "no trained generator here (no " + DESCRIPTION + ") and no run"
                + " with checkpoints in " + runFolder + ": train one first (notebook 05, or the train command), or"
                + " put shipped weights here");
    }

    /**
     * The generator in {@code from}: a weights folder, a checkpoint folder or a run folder (its
     * newest readable checkpoint; skipped damaged ones are added to {@code notes}).
     */
    public static TrainedGenerator locate(Path from, List<String> notes) throws IOException {
        return locate(from, notes, false);
    }

    /**
     * As {@link #locate(Path, List)}; {@code raw} asks for the generator the optimizer trained
     * instead of its moving average (a weights folder has only what export wrote).
     */
    public static TrainedGenerator locate(Path from, List<String> notes, boolean raw) throws IOException {
        if (!isWeightsFolder(from)) {
            return of(TrainingCheckpoint.locate(from, notes), raw);
        }
        TrainedGenerator g = read(from);
        if (raw && g.averaged()) {
            throw new BadInputException(from, "holds the generator's moving average only; the raw generator is in the"
                    + " run's checkpoints (pass the run folder, or export --raw)");
        }
        return g;
    }

    /** The generator of a run's checkpoint to draw with: its moving average where kept. */
    public static TrainedGenerator of(TrainingCheckpoint checkpoint) throws IOException {
        return of(checkpoint, false);
    }

    /** The raw generator of a checkpoint ({@code raw}) or the one to draw with. */
    public static TrainedGenerator of(TrainingCheckpoint checkpoint, boolean raw) throws IOException {
        boolean averaged = !raw && checkpoint.hasEma();
        return new TrainedGenerator(averaged ? checkpoint.generatorFile() : checkpoint.rawGeneratorFile(),
                checkpoint.options(), checkpoint.step(), seconds(checkpoint.metrics()), checkpoint.toString(), averaged);
    }

    /**
     * Reads a weights folder, verifying generator.ckpt against weights.json (size, CRC-32, model
     * options); every problem names the file.
     */
    public static TrainedGenerator read(Path folder) throws IOException {
        Path description = folder.resolve(DESCRIPTION);
        Path generator = folder.resolve(GENERATOR);
        if (!Files.isRegularFile(description)) {
            throw new BadInputException(folder, "not a weights folder: " + DESCRIPTION + " is missing (expected "
                    + DESCRIPTION + " and " + GENERATOR + ", as export writes them)");
        }
        JsonElement architecture = Manifest.verify(folder);
        JsonObject json;
        TrainOptions options;
        try {
            json = JsonParser.parseString(Files.readString(description, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!FORMAT.equals(json.get("format").getAsString())) {
                throw new BadInputException(description, "format " + json.get("format") + " is not supported (expected "
                        + FORMAT + ")");
            }
            options = TrainOptions.fromJson(json.get("options").toString());
        } catch (RuntimeException e) {
            throw new BadInputException(description, "unreadable weights description: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(generator)) {
            throw new BadInputException(generator, "missing (" + DESCRIPTION + " describes it)");
        }
        JsonObject file = json.getAsJsonObject("generator");
        if (Files.size(generator) != file.get("bytes").getAsLong()
                || !TrainingCheckpoint.crc32(generator).equals(file.get("crc32").getAsString())) {
            throw new BadInputException(generator, "damaged or replaced (size or CRC-32 differs from " + DESCRIPTION + ")");
        }
        ModelOptions stored = ModelCheckpoint.readOptions(generator);
        if (!stored.equals(options.model())) {
            throw new BadInputException(generator, "holds a generator of " + stored + ", but " + DESCRIPTION
                    + " describes " + options.model());
        }
        if (architecture != null && !TrainingCheckpoint.recordsArchitecture(architecture, options.model())) {
            throw new BadInputException(description, "its model options differ from the architecture "
                    + Manifest.FILE + " records");
        }
        return new TrainedGenerator(generator, options, json.get("step").getAsLong(),
                json.has("trainedSeconds") && !json.get("trainedSeconds").isJsonNull()
                        ? json.get("trainedSeconds").getAsDouble() : Double.NaN,
                folder.toString(), json.has("averaged") && json.get("averaged").getAsBoolean());
    }

    /**
     * Writes the generator of {@code runOrCheckpoint} (a run folder: its newest readable checkpoint)
     * into the weights folder {@code out}. A data folder inside {@code base} is recorded relative to
     * it (e.g. {@code data/synthetic-64} for the repository root), so the folder can be shipped.
     */
    public static TrainedGenerator export(Path runOrCheckpoint, Path out, Path base) throws IOException {
        return export(runOrCheckpoint, out, base, null, false);
    }

    /**
     * {@link #export(Path, Path, Path)} recording {@code data} (null: the run's) as the data folder:
     * where the run's data set is found from {@code base} when the run trained on a copy elsewhere.
     * The generator written is the checkpoint's moving average where it has one, or the raw
     * generator when {@code raw}; weights.json says which ({@code "averaged"}).
     */
    public static TrainedGenerator export(Path runOrCheckpoint, Path out, Path base, Path data, boolean raw)
            throws IOException {
        TrainingCheckpoint c = TrainingCheckpoint.locate(runOrCheckpoint, new ArrayList<>());
        TrainedGenerator source = of(c, raw);
        TrainOptions o = data == null ? c.options() : c.options().withData(data);
        Path dataDir = o.data().toAbsolutePath().normalize();
        Path root = base.toAbsolutePath().normalize();
        if (dataDir.startsWith(root)) {
            o = o.withData(root.relativize(dataDir));
        }
        double seconds = source.trainedSeconds();
        requireUsable(source.generatorFile());
        TrainOptions recorded = o;
        AtomicFiles.writeFolder(out, tmp -> {
            carryOver(out, tmp);
            Path generator = tmp.resolve(GENERATOR);
            Files.copy(source.generatorFile(), generator);
            JsonObject json = new JsonObject();
            json.addProperty("format", FORMAT);
            json.addProperty("step", c.step());
            json.addProperty("averaged", source.averaged());
            json.addProperty("trainedSeconds", Math.round(seconds * 10) / 10.0);
            json.addProperty("exportedFrom", c.folder().toString());
            JsonObject file = new JsonObject();
            file.addProperty("bytes", Files.size(generator));
            file.addProperty("crc32", TrainingCheckpoint.crc32(generator));
            json.add("generator", file);
            json.add("options", recorded.toJsonTree());
            Files.writeString(tmp.resolve(DESCRIPTION),
                    new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
            Manifest.write(tmp, List.of(GENERATOR, DESCRIPTION), TrainingCheckpoint.architecture(recorded.model()));
        });
        TrainedGenerator g = read(out);
        return new TrainedGenerator(g.generatorFile(), g.options(), g.step(), g.trainedSeconds(), c.toString(),
                g.averaged());
    }

    /** The generator file loads: its SHA-256 matches and every parameter is finite. */
    private static void requireUsable(Path generatorFile) throws IOException {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            SpadeGenerator.load(generatorFile, m);
        }
    }

    /** Copies what the kit did not write into a weights folder (tiles, sweeps, a README) to its replacement. */
    private static void carryOver(Path out, Path replacement) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (var entries = Files.list(out)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!name.equals(GENERATOR) && !name.equals(DESCRIPTION) && !name.equals(Manifest.FILE)
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, replacement.resolve(name));
                }
            }
        }
    }

    /**
     * A predictor drawing with the generator in {@code source}: a generator .ckpt file, or a weights,
     * run or checkpoint folder ({@link #locate(Path, List, boolean)}; skipped damaged checkpoints go to
     * {@code notes}). {@code palette} null: the run's data folder's palette.json if there is one, else
     * the anime palette.
     */
    public static Predictor predictor(Path source, LabelPalette palette, Sampler.Mode mode, String device,
                                      boolean raw, List<String> notes) throws IOException {
        if (Files.isRegularFile(source)) {
            return Predictor.open(source, palette, mode, device);
        }
        TrainedGenerator t = locate(source, notes, raw);
        Path runPalette = t.data(Path.of("")).resolve(AnimeDataset.PALETTE_FILE);
        LabelPalette p = palette == null && Files.isRegularFile(runPalette) ? LabelPalette.load(runPalette) : palette;
        return Predictor.open(t.generatorFile(), t.toString(), p, mode, device);
    }

    /** Loads the generator into {@code manager}. */
    public SpadeGenerator load(NDManager manager) throws IOException {
        return SpadeGenerator.load(generatorFile, manager);
    }

    /** The data folder of its run; a relative one is resolved against {@code base} (the repository root). */
    public Path data(Path base) {
        return options.data().isAbsolute() ? options.data() : base.resolve(options.data()).normalize();
    }

    private static double seconds(List<StepMetrics> metrics) {
        return metrics.stream().mapToDouble(StepMetrics::seconds).sum();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%sgenerator of step %d (%s, %.0f s of training) from %s",
                averaged ? "averaged " : "", step, options.model().resolution() + "², ngf " + options.model().ngf(),
                trainedSeconds, source);
    }
}
