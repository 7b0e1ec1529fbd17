package org.spadeanime.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.ArrayList;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.model.ModelOptions;

/**
 * One checkpoint folder: everything needed to continue a run exactly.
 *
 * <pre>
 *   generator.ckpt, discriminator.ckpt   parameters and buffers ({@code ModelCheckpoint}, options inside)
 *   generator-ema.ckpt                   the generator's moving average ({@link GeneratorEma}; runs with emaDecay > 0)
 *   adam-generator.bin, adam-discriminator.bin   moments, step and rate of each optimizer
 *   metrics.csv                          every iteration's metrics up to this step
 *   state.json                           step, seed, data-stream positions, the train options, and the
 *                                        size and CRC-32 of every other file
 *   manifest.json                        size and SHA-256 of all the above (state.json included) and the
 *                                        model options ({@link Manifest})
 * </pre>
 *
 * The folder is written through {@link AtomicFiles#writeFolder} (temporary folder, fsync, rename)
 * and only with finite state (a NaN parameter, buffer or moment is refused before anything is
 * written). {@link #read} verifies the manifest, every file against state.json, and that both
 * networks were made by the model options the run records, so a damaged, swapped or edited
 * checkpoint is reported as such instead of loading garbage. Folders written before manifests
 * existed are still read (state.json's CRC-32s cover the other files).
 *
 * @param folder where it lives
 * @param step completed iterations
 * @param trainBatches batches the training stream had served
 * @param roughBatches batches the rough stream had served (0 without rough data)
 * @param options the run's options
 */
public record TrainingCheckpoint(Path folder, long step, long trainBatches, long roughBatches, TrainOptions options) {

    public static final String GENERATOR = "generator.ckpt";
    public static final String DISCRIMINATOR = "discriminator.ckpt";
    public static final String GENERATOR_EMA = "generator-ema.ckpt";
    public static final String ADAM_G = "adam-generator.bin";
    public static final String ADAM_D = "adam-discriminator.bin";
    public static final String METRICS = "metrics.csv";
    public static final String STATE = "state.json";
    private static final int FORMAT = 1;
    private static final List<String> FILES = List.of(GENERATOR, DISCRIMINATOR, ADAM_G, ADAM_D, METRICS);

    /** Writes the trainer's state after {@code trainer.step()} iterations to {@code folder}, atomically. */
    public static TrainingCheckpoint write(Path folder, Trainer trainer, MetricsLog metrics, long trainBatches,
                                           long roughBatches) throws IOException {
        TrainingCheckpoint c = new TrainingCheckpoint(folder, trainer.step(), trainBatches, roughBatches,
                trainer.options());
        AtomicFiles.writeFolder(folder, tmp -> {
            trainer.generator().save(tmp.resolve(GENERATOR));
            trainer.discriminator().save(tmp.resolve(DISCRIMINATOR));
            trainer.adamG().save(tmp.resolve(ADAM_G));
            trainer.adamD().save(tmp.resolve(ADAM_D));
            if (trainer.ema() != null) {
                trainer.ema().save(tmp.resolve(GENERATOR_EMA));
            }
            metrics.rewrite(tmp.resolve(METRICS));
            JsonObject state = new JsonObject();
            state.addProperty("format", FORMAT);
            state.addProperty("step", c.step);
            state.addProperty("seed", c.options.seed());
            state.addProperty("trainBatches", trainBatches);
            state.addProperty("roughBatches", roughBatches);
            state.add("options", c.options.toJsonTree());
            JsonObject files = new JsonObject();
            for (String f : FILES) {
                JsonObject e = new JsonObject();
                e.addProperty("bytes", Files.size(tmp.resolve(f)));
                e.addProperty("crc32", crc32(tmp.resolve(f)));
                files.add(f, e);
            }
            state.add("files", files);
            AtomicFiles.writeString(tmp.resolve(STATE),
                    new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(state));
            List<String> covered = new ArrayList<>(FILES);
            if (trainer.ema() != null) {
                covered.add(GENERATOR_EMA);
            }
            covered.add(STATE);
            Manifest.write(tmp, covered, architecture(c.options.model()));
        });
        return c;
    }

    /**
     * Reads and verifies a checkpoint folder: state.json parses, and every file is there with the
     * recorded size and CRC-32. Any problem is an IOException naming the folder and the file.
     */
    public static TrainingCheckpoint read(Path folder) throws IOException {
        Path stateFile = folder.resolve(STATE);
        if (!Files.isRegularFile(stateFile)) {
            throw new IOException(folder + ": not a complete checkpoint (no " + STATE + ")");
        }
        JsonElement architecture = Manifest.verify(folder);
        JsonObject state;
        TrainOptions options;
        try {
            state = JsonParser.parseString(Files.readString(stateFile, StandardCharsets.UTF_8)).getAsJsonObject();
            if (state.get("format").getAsInt() != FORMAT) {
                throw new IOException(stateFile + ": checkpoint format " + state.get("format")
                        + " is not supported (expected " + FORMAT + ")");
            }
            options = TrainOptions.fromJson(state.get("options").toString());
            // A verified manifest already covered every file by SHA-256; state.json's CRC-32s are
            // checked only for folders written before manifests.
            JsonObject files = state.getAsJsonObject("files");
            for (String f : architecture != null ? List.<String>of() : FILES) {
                Path p = folder.resolve(f);
                JsonObject e = files.getAsJsonObject(f);
                if (!Files.isRegularFile(p)) {
                    throw new IOException(folder + ": " + f + " is missing");
                }
                if (Files.size(p) != e.get("bytes").getAsLong() || !crc32(p).equals(e.get("crc32").getAsString())) {
                    throw new IOException(folder + ": " + f + " is damaged (size or CRC-32 differs from "
                            + STATE + ")");
                }
            }
            TrainingCheckpoint c = new TrainingCheckpoint(folder, state.get("step").getAsLong(),
                    state.get("trainBatches").getAsLong(), state.get("roughBatches").getAsLong(), options);
            if (architecture != null && !recordsArchitecture(architecture, options.model())) {
                throw new BadInputException(stateFile, "its model options differ from the architecture "
                        + Manifest.FILE + " records");
            }
            checkNetwork(folder.resolve(GENERATOR), "SpadeGenerator", options.model());
            checkNetwork(folder.resolve(DISCRIMINATOR), "PatchDiscriminator", options.model());
            if (c.hasEma()) {
                checkNetwork(folder.resolve(GENERATOR_EMA), "SpadeGenerator", options.model());
            }
            return c;
        } catch (RuntimeException e) {
            throw new IOException(stateFile + ": unreadable checkpoint state: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a manifest's recorded architecture is {@code model}: compared as parsed options, so a
     * manifest written before an option existed (it lacks the field, which reads as its default)
     * still matches; any value that differs does not.
     */
    static boolean recordsArchitecture(JsonElement recorded, ModelOptions model) {
        try {
            return ModelOptions.fromJsonTree(recorded.getAsJsonObject().getAsJsonObject("model")).equals(model);
        } catch (RuntimeException e) {
            return false; // not a model-options object: cannot be this architecture
        }
    }

    /** What a manifest records as the architecture: the model options. */
    static JsonElement architecture(ModelOptions model) {
        JsonObject a = new JsonObject();
        a.add("model", model.toJsonTree());
        return a;
    }

    /** A network file holds {@code kind} made by {@code model}, else an error naming the file and both. */
    static void checkNetwork(Path file, String kind, ModelOptions model) throws IOException {
        ModelCheckpoint.Contents stored = ModelCheckpoint.readContents(file);
        if (!stored.kind().equals(kind)) {
            throw new BadInputException(file, "holds a " + stored.kind() + ", expected a " + kind);
        }
        if (!stored.options().equals(model)) {
            throw new BadInputException(file, "was made by " + stored.options() + ", but the run records " + model
                    + " (a file from another run?)");
        }
    }

    /**
     * The checkpoint {@code latest} names, or else the newest one that verifies; what was skipped
     * and why is added to {@code notes}.
     */
    public static TrainingCheckpoint newest(RunFolder folder, List<String> notes) throws IOException {
        return newest(folder, notes, java.util.Set.of());
    }

    /**
     * As {@link #newest(RunFolder, List)}, passing over the folders in {@code exclude} (checkpoints
     * found unusable after reading, e.g. holding NaN state). A {@code latest} that names an older
     * checkpoint than the newest one is followed, with a note.
     */
    public static TrainingCheckpoint newest(RunFolder folder, List<String> notes, java.util.Set<Path> exclude)
            throws IOException {
        List<Path> all = folder.checkpoints();
        Path latest = folder.latest();
        List<Path> candidates = new ArrayList<>();
        if (latest != null && !exclude.contains(latest)) {
            candidates.add(latest);
        }
        for (Path p : all) {
            if (!p.equals(latest) && !exclude.contains(p)) {
                candidates.add(p);
            }
        }
        if (candidates.isEmpty()) {
            throw new BadInputException(folder.root(), all.isEmpty() ? "no checkpoint to resume from (expected "
                    + folder.checkpointsDir() + "/step-NNNNNNNN folders)"
                    : "none of its " + all.size() + " checkpoints is usable: " + String.join("; ", notes));
        }
        if (latest != null && !all.isEmpty() && !latest.equals(all.get(0)) && !exclude.contains(latest)) {
            notes.add("'latest' names " + latest.getFileName() + ", older than the newest checkpoint "
                    + all.get(0).getFileName() + ": resuming from " + latest.getFileName()
                    + " as 'latest' says (rewrite " + folder.checkpointsDir().resolve("latest") + " to choose another)");
        }
        for (Path p : candidates) {
            try {
                TrainingCheckpoint c = read(p);
                if (!p.equals(latest)) {
                    notes.add("resuming from " + p + (latest == null
                            ? " (no valid 'latest' pointer in " + folder.checkpointsDir() + ")"
                            : " instead of the checkpoint 'latest' names (" + latest + ")"));
                }
                return c;
            } catch (IOException e) {
                notes.add("skipping unreadable checkpoint: " + e.getMessage());
            }
        }
        throw new BadInputException(folder.root(), "none of its " + candidates.size() + " checkpoints is readable: "
                + String.join("; ", notes));
    }

    /**
     * A checkpoint given as a run folder (its newest readable checkpoint) or a checkpoint folder.
     */
    public static TrainingCheckpoint locate(Path runOrCheckpoint, List<String> notes) throws IOException {
        if (Files.isRegularFile(runOrCheckpoint.resolve(STATE))) {
            return read(runOrCheckpoint);
        }
        RunFolder run = new RunFolder(runOrCheckpoint);
        if (run.exists() || Files.isDirectory(run.checkpointsDir())) {
            return newest(run, notes);
        }
        if (Files.isRegularFile(runOrCheckpoint.resolve(GENERATOR))) {
            throw new BadInputException(runOrCheckpoint, "holds " + GENERATOR + " but no weights.json, so it is not a"
                    + " weights folder (export writes both: export --from RUN --out " + runOrCheckpoint + "), and no "
                    + STATE + " of a checkpoint folder (predict also takes the bare .ckpt file)");
        }
        throw new BadInputException(runOrCheckpoint, Files.isDirectory(runOrCheckpoint)
                ? "neither a weights folder (weights.json), a run folder (options.json and checkpoints/) nor a"
                        + " checkpoint folder (" + STATE + ")"
                : "no such folder (expected a weights, run or checkpoint folder)");
    }

    /**
     * Loads networks, optimizer states and step into a trainer built from {@link #options()}. A
     * checkpoint without a moving average (written before the kit kept one) starts the trainer's
     * average at the raw generator, said on {@code notes}.
     */
    public void restore(Trainer trainer, java.util.function.Consumer<String> notes) throws IOException {
        trainer.generator().loadParameters(folder.resolve(GENERATOR));
        if (trainer.ema() != null) {
            if (hasEma()) {
                trainer.ema().load(folder.resolve(GENERATOR_EMA));
            } else {
                trainer.ema().copyFrom(trainer.generator());
                notes.accept(folder + " has no " + GENERATOR_EMA + ": the generator's moving average starts at "
                        + "the generator of step " + step);
            }
        }
        trainer.discriminator().loadParameters(folder.resolve(DISCRIMINATOR));
        trainer.adamG().load(folder.resolve(ADAM_G));
        trainer.adamD().load(folder.resolve(ADAM_D));
        trainer.adamG().checkMatches(trainer.generator().getParameters(), folder.resolve(ADAM_G).toString());
        trainer.adamD().checkMatches(trainer.discriminator().getParameters(), folder.resolve(ADAM_D).toString());
        trainer.setStep(step);
    }

    /** The metrics recorded up to this checkpoint. */
    public List<StepMetrics> metrics() throws IOException {
        return MetricsLog.read(folder.resolve(METRICS));
    }

    /** Whether the folder holds the generator's moving average. */
    public boolean hasEma() {
        return Files.isRegularFile(folder.resolve(GENERATOR_EMA));
    }

    /** The generator to draw with (prediction, tiles, export): its moving average where kept, else the raw one. */
    public Path generatorFile() {
        return hasEma() ? folder.resolve(GENERATOR_EMA) : folder.resolve(GENERATOR);
    }

    /** The generator the optimizer trained (what resume continues). */
    public Path rawGeneratorFile() {
        return folder.resolve(GENERATOR);
    }

    /** The CRC-32 of a file as 8 hex digits (checkpoints and weights folders record it). */
    static String crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    @Override
    public String toString() {
        return "checkpoint of step " + step + " at " + folder;
    }
}
