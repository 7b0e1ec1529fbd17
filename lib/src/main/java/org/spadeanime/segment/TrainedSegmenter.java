package org.spadeanime.segment;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.model.Segmenter;

/**
 * A trained segmenter as the kit ships it: a folder with
 *
 * <pre>
 *   segmenter.ckpt   the {@link Segmenter} (a model checkpoint with its options)
 *   palette.json     the label palette its classes are
 *   segmenter.json   the recipe, the data it was trained on, its held-out scores
 *   manifest.json    size and SHA-256 of the three ({@link Manifest})
 * </pre>
 *
 * written atomically as one folder.
 *
 * @param heldOut the segmenter's own scores on the validation splits of its training data
 */
public record TrainedSegmenter(Path folder, SegmenterTraining.Recipe recipe, List<String> trainedOn,
        double trainedSeconds, List<HeldOut> heldOut) {

    /** The folder the kit ships (relative to the repository root). */
    public static final Path SHIPPED = Path.of("weights", "segment");

    public static final String CHECKPOINT = "segmenter.ckpt";
    public static final String PALETTE = "palette.json";
    public static final String DESCRIPTION = "segmenter.json";
    private static final String FORMAT = "spade-anime-segmenter/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** The segmenter's scores on one validation split: pixel accuracy and mIoU over the real illustrations. */
    public record HeldOut(String data, int resolution, int images, double accuracy, double meanIoU) {}

    public TrainedSegmenter {
        trainedOn = List.copyOf(trainedOn);
        heldOut = List.copyOf(heldOut);
    }

    private record Description(String format, SegmenterTraining.Recipe recipe, List<String> trainedOn,
            double trainedSeconds, List<HeldOut> heldOut) {}

    /** Writes a trained segmenter and what describes it into {@code out} (replacing a folder there). */
    public static TrainedSegmenter write(Path out, Segmenter net, LabelPalette palette, SegmenterTraining.Recipe recipe,
            List<String> trainedOn, double trainedSeconds, List<HeldOut> heldOut) throws IOException {
        if (palette.channels() != net.options().numClasses()) {
            throw new IllegalArgumentException("the palette has " + palette.channels()
                    + " label classes, the segmenter " + net.options().numClasses());
        }
        double seconds = Math.round(trainedSeconds * 10) / 10.0;
        AtomicFiles.writeFolder(out, tmp -> {
            net.save(tmp.resolve(CHECKPOINT));
            Files.writeString(tmp.resolve(PALETTE), palette.toJson());
            Files.writeString(tmp.resolve(DESCRIPTION), GSON.toJson(
                    new Description(FORMAT, recipe, trainedOn, seconds, heldOut)) + "\n");
            Manifest.write(tmp, List.of(CHECKPOINT, PALETTE, DESCRIPTION), null);
        });
        return read(out);
    }

    /** Reads a segmenter folder's description, checking its manifest; every problem names the file. */
    public static TrainedSegmenter read(Path folder) throws IOException {
        Path description = folder.resolve(DESCRIPTION);
        if (!Files.isRegularFile(description)) {
            throw new BadInputException(folder, "not a segmenter folder: " + DESCRIPTION + " is missing (expected "
                    + CHECKPOINT + ", " + PALETTE + " and " + DESCRIPTION + ", as train-segmenter writes them)");
        }
        Manifest.verify(folder);
        Description d;
        try {
            d = GSON.fromJson(Files.readString(description, StandardCharsets.UTF_8), Description.class);
            if (d == null || !FORMAT.equals(d.format())) {
                throw new BadInputException(description, "format " + (d == null ? null : d.format())
                        + " is not supported (expected " + FORMAT + ")");
            }
        } catch (RuntimeException e) {
            throw new BadInputException(description, "unreadable segmenter description: " + e.getMessage(), e);
        }
        String kind = ModelCheckpoint.readKind(folder.resolve(CHECKPOINT));
        if (!kind.equals("Segmenter")) {
            throw new BadInputException(folder.resolve(CHECKPOINT), "holds a " + kind + ", not a Segmenter");
        }
        return new TrainedSegmenter(folder, d.recipe(), d.trainedOn(), d.trainedSeconds(), d.heldOut());
    }

    /** Reads the folder and loads its segmenter into {@code manager}. */
    public static Segmenter load(Path folder, NDManager manager) throws IOException {
        return read(folder).load(manager);
    }

    /** Loads the segmenter into {@code manager}. */
    public Segmenter load(NDManager manager) throws IOException {
        return Segmenter.load(folder.resolve(CHECKPOINT), manager);
    }

    /** The palette its classes are. */
    public LabelPalette palette() throws IOException {
        return LabelPalette.load(folder.resolve(PALETTE));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("segmenter " + folder + " (width " + recipe.width() + ", "
                + recipe.iterations() + " iterations, " + Math.round(trainedSeconds) + " s)");
        for (HeldOut h : heldOut) {
            s.append(String.format("%n  held-out %s (%d², %d images): pixel accuracy %.3f, mIoU %.3f", h.data(),
                    h.resolution(), h.images(), h.accuracy(), h.meanIoU()));
        }
        return s.toString();
    }
}
