package org.spadeanime.infer;

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
import org.spadeanime.data.Batch;
import org.spadeanime.data.PredictionInput;
import org.spadeanime.data.Sample;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Png;
import org.spadeanime.io.PngFiles;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.SpadeGenerator;

/**
 * The original's predict step: label maps in, illustrations out, saved side by side as
 * [label colours | generated]. An input is a square label PNG (a random hair colour fills the hair,
 * drawn from the seed) or a [label | hair-colour map] PNG of width 2×height; a folder means all its
 * PNGs. The generator comes from a generator file ({@code TrainedGenerator.predictor} opens one
 * from a weights, run or checkpoint folder, with the run's palette). The output is written at the input's size
 * (the generated image upsampled from the model's resolution, bicubic; the label scaled without
 * interpolation) or, with {@link OutputSize#MODEL}, at the model's resolution.
 */
public final class Predictor implements AutoCloseable {

    /** The size predictions are written at. */
    public enum OutputSize {
        /** The input label's size: the generated image upsampled (or downsampled) to it. */
        INPUT,
        /** The model's resolution: what the generator drew, unscaled. */
        MODEL;

        /** Parses a command-line value (case-insensitive). */
        public static OutputSize parse(String value) {
            for (OutputSize s : values()) {
                if (s.name().equalsIgnoreCase(value.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("size '" + value + "': expected input or model");
        }
    }

    private final NDManager manager;
    private final SpadeGenerator generator;
    private final LabelPalette palette;
    private final Sampler.Mode mode;
    private final String source;

    private Predictor(NDManager manager, SpadeGenerator generator, LabelPalette palette, Sampler.Mode mode,
                      String source) {
        this.source = source;
        this.manager = manager;
        this.generator = generator;
        this.palette = palette;
        this.mode = mode;
    }

    /**
     * Loads the generator file {@code file} (a .ckpt) on {@code device}; {@code palette} null: the
     * anime palette. (A weights, run or checkpoint folder: {@code TrainedGenerator.predictor}.)
     */
    public static Predictor open(Path file, LabelPalette palette, Sampler.Mode mode, String device)
            throws IOException {
        return open(file, "generator in " + file, palette, mode, device);
    }

    /** As {@link #open(Path, LabelPalette, Sampler.Mode, String)}, described as {@code described} in messages. */
    public static Predictor open(Path file, String described, LabelPalette palette, Sampler.Mode mode,
                                 String device) throws IOException {
        LabelPalette p = palette != null ? palette : LabelPalette.anime();
        NDManager manager = NDManager.newBaseManager(DjlRuntime.device(device));
        try {
            SpadeGenerator g = SpadeGenerator.load(file, manager);
            if (g.options().numClasses() != p.channels()) {
                throw new BadInputException(file, "the generator has " + g.options().numClasses()
                        + " label classes, the palette " + p + " has " + p.channels());
            }
            return new Predictor(manager, g, p, mode, described);
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

    /** What it draws with, for messages (e.g. "averaged generator of step 20000 (64², ngf 8 …) from weights/tiny"). */
    public String source() {
        return source;
    }

    /** [label colours | generated] for one input sample at the model's resolution, the noise seeded with {@code seed}. */
    public BufferedImage predict(Sample sample, int seed) {
        return predict(sample, seed, generator.options().resolution());
    }

    /**
     * [label colours | generated] at {@code size}² for one input sample: the generated image is
     * scaled bicubically from the model's resolution, the label without interpolation (its colours stay classes).
     */
    public BufferedImage predict(Sample sample, int seed, int size) {
        try (NDManager m = manager.newSubManager()) {
            Batch b = Batch.of(List.of(sample), m);
            NDArray fake = Sampler.generate(generator, b.label(), b.condition(), mode, seed);
            return sideBySide(scaled(palette.codec().toImage(sample.label()), size, false),
                    scaled(ImageTensors.toImage(fake.get(0), -1f, 1f), size, true));
        }
    }

    /**
     * Predicts every input (files, or folders of PNGs) and writes {@code out/NAME.png}. An input's
     * random hair colour and noise depend only on {@code seed} and its file name, not on the other
     * inputs. Returns the written files.
     */
    public List<Path> predictAll(List<Path> inputs, Path out, long seed) throws IOException {
        return predictAll(inputs, out, seed, OutputSize.MODEL, note -> { });
    }

    /**
     * As {@link #predictAll(List, Path, long)}, written at {@code size}; a line per distinct
     * scaling (e.g. "generated at 64², upsampled to 256²") goes to {@code notes}.
     */
    public List<Path> predictAll(List<Path> inputs, Path out, long seed, OutputSize size,
                                 java.util.function.Consumer<String> notes) throws IOException {
        List<Path> files = PngFiles.expand(inputs, "label PNGs, [label | colour] PNGs");
        List<Path> written = new ArrayList<>();
        int resolution = generator.options().resolution();
        java.util.Set<Integer> said = new java.util.HashSet<>();
        for (Path f : files) {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + f.getFileName().toString().hashCode());
            Sample s = PredictionInput.read(f, palette, resolution, random);
            int target = size == OutputSize.MODEL ? resolution : Png.size(f).height;
            if (said.add(target)) {
                notes.accept(target == resolution
                        ? "generated at the model's " + resolution + "² and written at that size"
                        : String.format(Locale.ROOT, "generated at the model's %d², %s to the input's %d² (bicubic;"
                                + " --size model writes %d²)", resolution, target > resolution ? "upsampled"
                                : "downsampled", target, resolution));
            }
            Path file = out.resolve(s.name() + ".png");
            Png.write(predict(s, random.nextInt() & 0x7fffffff, target), file);
            written.add(file);
        }
        return written;
    }

    /** {@code img} scaled to {@code size}² (bicubic when {@code smooth}, else nearest neighbour). */
    public static BufferedImage scaled(BufferedImage img, int size, boolean smooth) {
        if (img.getWidth() == size && img.getHeight() == size) {
            return img;
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, smooth
                ? java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC
                : java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, 0, 0, size, size, null);
        g.dispose();
        return out;
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
