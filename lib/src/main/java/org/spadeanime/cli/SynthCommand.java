package org.spadeanime.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.data.SyntheticSample;
import org.spadeanime.io.Png;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synth}: writes the synthetic anime data set (or a preview grid of it). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Writes procedural anime busts as triplet PNGs [illustration | label | hair-colour map]"
                + " (width 3×size), the original's training format, plus palette.json.",
                "Sample i depends only on (seed, i): the same seed gives the same files."})
public final class SynthCommand implements Callable<Integer> {

    @Option(names = "--count", defaultValue = "2000", description = "number of samples (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--size", defaultValue = "256", description = "image size in pixels, e.g. 64, 128, 256 (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--out", defaultValue = "data/synthetic", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "random seed of the set (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--first", defaultValue = "0", description = "index of the first sample, to extend a set (default ${DEFAULT-VALUE})")
    int first;

    @Option(names = "--threads", description = "drawing threads (default: the number of cores)")
    Integer threads;

    @Option(names = "--grid", description = "write only a preview PNG: a grid of [illustration | label] pairs of the samples")
    Path grid;

    @Option(names = "--columns", defaultValue = "4", description = "pairs per row of the --grid preview (default ${DEFAULT-VALUE})")
    int columns;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count " + count + ": expected at least 1");
        }
        if (first < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--first " + first + ": expected 0 or more");
        }
        if (size < 16 || size > 2048) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size " + size + ": expected 16..2048 pixels");
        }
        SyntheticAnime synth = new SyntheticAnime(size);
        PrintWriter log = spec.commandLine().getOut();
        if (grid != null) {
            Png.write(grid(synth), grid);
            log.printf(Locale.ROOT, "wrote a preview of %d samples (seed %d, %d²) to %s%n", count, seed, size, grid);
            return 0;
        }
        int t = threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors();
        int step = Math.max(1, count / 10);
        SyntheticAnime.WriteReport r = synth.write(out, first, count, seed, t, n -> {
            if (n % step == 0 && n < count) {
                synchronized (log) {
                    log.printf(Locale.ROOT, "  %d / %d%n", n, count);
                    log.flush();
                }
            }
        });
        log.printf(Locale.ROOT, "wrote %d samples (%d×%d triplets, seed %d) to %s in %.1f s: %.0f images/s on %d thread(s)%n",
                r.count(), 3 * size, size, seed, out, r.seconds(), r.imagesPerSecond(), t);
        return 0;
    }

    private BufferedImage grid(SyntheticAnime synth) {
        int cols = Math.max(1, Math.min(columns, count));
        int rows = (count + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * 2 * size, rows * size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < count; i++) {
            SyntheticSample s = synth.render(seed, first + i);
            int x = (i % cols) * 2 * size;
            int y = (i / cols) * size;
            g.drawImage(s.illustration(), x, y, null);
            g.drawImage(s.label(), x + size, y, null);
        }
        g.dispose();
        return img;
    }
}
