package org.spadeanime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.PredictionInput;
import org.spadeanime.data.Sample;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.SpadeGenerator;

/**
 * The original's predict step: label maps in, illustrations out, saved side by side as
 * [label colours | generated]. An input is a square label PNG (a random hair colour fills the hair,
 * drawn from the seed) or a [label | hair-colour map] PNG of width 2×height; a folder means all its
 * PNGs. The generator comes from a run folder (its newest readable checkpoint), a checkpoint folder
 * or a generator file; the palette from the run's data folder (its palette.json) unless given.
 */
public final class Predictor implements AutoCloseable {

    private final NDManager manager;
    private final SpadeGenerator generator;
    private final LabelPalette palette;
    private final Sampler.Mode mode;

    private Predictor(NDManager manager, SpadeGenerator generator, LabelPalette palette, Sampler.Mode mode) {
        this.manager = manager;
        this.generator = generator;
        this.palette = palette;
        this.mode = mode;
    }

    /**
     * Loads the generator of {@code source} (a run folder, a checkpoint folder, or a generator
     * .ckpt file) on {@code device}. {@code palette} null: the palette.json of the run's data folder
     * if there is one, else the anime palette.
     */
    public static Predictor open(Path source, LabelPalette palette, Sampler.Mode mode, String device)
            throws IOException {
        Path file;
        LabelPalette p = palette;
        if (Files.isRegularFile(source)) {
            file = source;
        } else {
            TrainingCheckpoint c = TrainingCheckpoint.locate(source, new ArrayList<>());
            file = c.generatorFile();
            Path pal = c.options().data().resolve(AnimeDataset.PALETTE_FILE);
            if (p == null && Files.isRegularFile(pal)) {
                p = LabelPalette.load(pal);
            }
        }
        if (p == null) {
            p = LabelPalette.anime();
        }
        NDManager manager = NDManager.newBaseManager(DjlRuntime.device(device));
        try {
            SpadeGenerator g = SpadeGenerator.load(file, manager);
            if (g.options().numClasses() != p.channels()) {
                throw new BadInputException(file, "the generator has " + g.options().numClasses()
                        + " label classes, the palette " + p + " has " + p.channels());
            }
            return new Predictor(manager, g, p, mode);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public SpadeGenerator generator() {
        return generator;
    }

    public LabelPalette palette() {
        return palette;
    }

    /** [label colours | generated] for one input sample, the noise seeded with {@code seed}. */
    public BufferedImage predict(Sample sample, int seed) {
        try (NDManager m = manager.newSubManager()) {
            Batch b = Batch.of(List.of(sample), m);
            NDArray fake = Sampler.generate(generator, b.label(), b.condition(), mode, seed);
            return sideBySide(palette.codec().toImage(sample.label()), ImageTensors.toImage(fake.get(0), -1f, 1f));
        }
    }

    /**
     * Predicts every input (files, or folders of PNGs) and writes {@code out/NAME.png}. An input's
     * random hair colour and noise depend only on {@code seed} and its file name, not on the other
     * inputs. Returns the written files.
     */
    public List<Path> predictAll(List<Path> inputs, Path out, long seed) throws IOException {
        List<Path> files = expand(inputs);
        List<Path> written = new ArrayList<>();
        int resolution = generator.options().resolution();
        for (Path f : files) {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + f.getFileName().toString().hashCode());
            Sample s = PredictionInput.read(f, palette, resolution, random);
            Path target = out.resolve(s.name() + ".png");
            Png.write(predict(s, random.nextInt() & 0x7fffffff), target);
            written.add(target);
        }
        return written;
    }

    /** The PNG files an input list names: files as given, folders as their *.png files, sorted. */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    List<Path> pngs = s.filter(p -> Files.isRegularFile(p)
                            && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
                    if (pngs.isEmpty()) {
                        throw new BadInputException(in, "no PNG files in this folder (expected label PNGs)");
                    }
                    files.addAll(pngs);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new BadInputException(in, "no such file or folder (expected a label PNG, a [label | colour] PNG"
                        + " or a folder of them)");
            }
        }
        return files;
    }

    private static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
        BufferedImage out = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
