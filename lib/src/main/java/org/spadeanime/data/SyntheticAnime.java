package org.spadeanime.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.ArrayList;
import java.util.List;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelPalette;

/**
 * The kit's embedded data set: procedural, copyright-free anime busts drawn with Java2D, each with a
 * label map in the original's palette ({@link LabelPalette#anime()}) and a hair-colour map.
 *
 * <p>Every sample is a pure function of (seed, index): sample {@code i} is the same whether 10 or
 * 10,000 are generated, and the same seed gives identical PNG bytes (on the same JDK, whose Java2D
 * rasteriser draws the anti-aliased illustration). Pose (position, scale, tilt, turn), hair (colour,
 * length, fringe style, side locks, twin tails), eyes, mouth, skin, clothes, accessories and
 * background all vary, so a generator has real structure to learn and the hair colour is a real
 * condition.
 */
public final class SyntheticAnime {

    private final int size;

    /** A generator of {@code size}×{@code size} samples (16 to 2048 pixels). */
    public SyntheticAnime(int size) {
        if (size < 16 || size > 2048) {
            throw new IllegalArgumentException("size " + size + ": expected 16..2048 pixels");
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The random seed of sample {@code index} of the set with seed {@code seed} (SplitMix64 of both). */
    public static long sampleSeed(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The file name of sample {@code index} in a written set. */
    public static String fileName(int index) {
        return String.format(Locale.ROOT, "anime-%06d.png", index);
    }

    /** Draws sample {@code index} of the set with seed {@code seed}. */
    public SyntheticSample render(long seed, int index) {
        SplittableRandom rnd = new SplittableRandom(sampleSeed(seed, index));
        Color hair = BustPainter.sampleHairColour(rnd);
        BufferedImage art = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        BufferedImage label = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        new BustPainter(rnd, size, art, label, hair).paint();
        return new SyntheticSample(index, art, label, colourMap(label, hair.getRGB() & 0xFFFFFF), hair.getRGB() & 0xFFFFFF);
    }

    /** The hair colour on the hair pixels of the label, black elsewhere. */
    private static BufferedImage colourMap(BufferedImage label, int hairRgb) {
        int s = label.getWidth();
        int[] px = label.getRGB(0, 0, s, s, null, 0, s);
        int hairLabel = BustPainter.HAIR.rgb();
        for (int i = 0; i < px.length; i++) {
            px[i] = (px[i] & 0xFFFFFF) == hairLabel ? hairRgb : 0;
        }
        BufferedImage map = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        map.setRGB(0, 0, s, s, px, 0, s);
        return map;
    }

    /**
     * Writes samples {@code first .. first+count-1} as triplet PNGs ({@link #fileName}) into
     * {@code out}, each atomically, on {@code threads} threads; {@code progress} receives the number
     * written so far (from any thread). Also writes the palette as {@code palette.json}.
     */
    public WriteReport write(Path out, int first, int count, long seed, int threads, IntConsumer progress)
            throws IOException {
        if (count < 0 || first < 0) {
            throw new IllegalArgumentException("count and first must be ≥ 0, got " + count + " and " + first);
        }
        return write(out, IntStream.range(first, first + count).toArray(), seed, threads, progress);
    }

    /**
     * Completes the set of samples {@code 0 .. count-1} in {@code out}: writes those whose file is
     * missing (none when the set is complete; all of them into a new folder), as {@link #write}
     * does. Files are recognised by name only, so a folder should hold the samples of one seed and
     * size. Notebooks use it to make their data set once and reuse it.
     */
    public WriteReport writeMissing(Path out, int count, long seed, int threads) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        int[] missing = IntStream.range(0, count)
                .filter(i -> !Files.isRegularFile(out.resolve(fileName(i)))).toArray();
        return write(out, missing, seed, threads, n -> { });
    }

    private WriteReport write(Path out, int[] indices, long seed, int threads, IntConsumer progress) throws IOException {
        LabelPalette.anime().save(out.resolve("palette.json"));
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "synth");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int index : indices) {
                jobs.add(pool.submit(() -> {
                    try {
                        Png.write(render(seed, index).triplet(), out.resolve(fileName(index)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    progress.accept(done.incrementAndGet());
                }));
            }
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw new IllegalStateException("synthetic sample failed: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing " + out, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new WriteReport(indices.length, (System.nanoTime() - t0) / 1e9);
    }

    /** What {@link #write} did. */
    public record WriteReport(int count, double seconds) {
        public double imagesPerSecond() {
            return count / Math.max(seconds, 1e-9);
        }
    }
}
