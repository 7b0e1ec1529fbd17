package org.spadeanime.data;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.spadeanime.DjlRuntime;
import org.spadeanime.io.Png;

/**
 * Measures the data layer: synthetic generation speed, decode speed of the batch stream and the
 * peak Java heap while streaming a whole synthetic set, against the heap that the same set would
 * need decoded in memory. Not a test (timings depend on the machine); run it with a small heap to
 * show that streaming does not grow with the set:
 *
 * <pre>java -Xmx256m -cp 'lib/target/lib/*' org.spadeanime.data.DataBenchmark [count] [size] [folder] [batch]</pre>
 */
public final class DataBenchmark {

    private DataBenchmark() {}

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("spade-bench");
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int cores = Runtime.getRuntime().availableProcessors();
        SyntheticAnime synth = new SyntheticAnime(size);

        // generation: one thread, drawing only and drawing + PNG encoding; then the CLI path on all cores
        int probe = Math.min(100, count);
        for (int i = 0; i < 20; i++) {
            synth.render(99, i);                          // warm-up (JIT)
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < probe; i++) {
            synth.render(1, i);
        }
        double drawMs = (System.nanoTime() - t0) / 1e6 / probe;
        t0 = System.nanoTime();
        for (int i = 0; i < probe; i++) {
            org.apache.commons.imaging.Imaging.writeImageToBytes(synth.render(1, i).triplet(),
                    org.apache.commons.imaging.ImageFormats.PNG);
        }
        double drawEncodeMs = (System.nanoTime() - t0) / 1e6 / probe;
        System.out.printf(Locale.ROOT, "synthetic %d²: draw %.1f ms/image (%.0f images/s), draw + PNG encode %.1f ms/image"
                + " (%.0f images/s), one thread%n", size, drawMs, 1000 / drawMs, drawEncodeMs, 1000 / drawEncodeMs);
        if (Files.isRegularFile(dir.resolve(SyntheticAnime.fileName(count - 1)))) {
            System.out.println("reusing the set in " + dir);
        } else {
            SyntheticAnime.WriteReport w = synth.write(dir, 0, count, 1, cores, n -> { });
            System.out.printf(Locale.ROOT, "synth --count %d --size %d: %.1f s, %.0f images/s written on %d threads (%s)%n",
                    count, size, w.seconds(), w.imagesPerSecond(), cores, dir);
        }

        // streaming the whole set once, heap peak measured from here on
        DjlRuntime.init();
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(size));
        System.gc();
        long baseline = heapUsed();
        resetPeaks();
        int batches = (count + batch - 1) / batch;
        java.util.List<Long> lives = new java.util.ArrayList<>();   // the decoding threads keep allocating meanwhile
        t0 = System.nanoTime();
        try (BatchStream stream = data.all().stream(batch, 0, false); NDManager root = NDManager.newBaseManager()) {
            for (int b = 0; b < batches; b++) {
                try (NDManager step = root.newSubManager(); Batch x = stream.next(step)) {
                    x.target().sum().getFloat();          // touch the data
                }
                if (b % 25 == 12) {                         // a full GC now and then: what stays is live data
                    System.gc();
                    lives.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        java.util.Collections.sort(lives);
        long live = lives.get(lives.size() / 2);
        long liveMax = lives.get(lives.size() - 1);
        long peak = heapPeak();
        long perSample = 3L * size * size * 4 * 2 + (long) size * size;     // target + condition floats, label bytes
        long perImage = 3L * size * size * 4;                               // one decoded triplet, int pixels
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "stream %d samples at %d² in batches of %d (%d decoding threads, %d ahead): %.1f s,"
                        + " %.0f samples/s%n", batches * batch, size, batch, data.options().workers(),
                data.options().prefetch(), secs, batches * batch / secs);
        System.out.printf(Locale.ROOT, "heap: live after full GCs (%d batches decoded ahead) median %.0f MiB, max %.0f MiB; peak used %.0f MiB (garbage included;"
                        + " %.0f MiB before; -Xmx %.0f MiB); holding the set decoded would need %.0f MiB as samples"
                        + " or %.0f MiB as decoded triplet images (%.0f× the -Xmx this ran with)%n",
                data.options().prefetch(), live / 1048576.0, liveMax / 1048576.0, peak / 1048576.0, baseline / 1048576.0, rt.maxMemory() / 1048576.0,
                data.size() * (double) perSample / 1048576.0, data.size() * (double) perImage / 1048576.0,
                data.size() * (double) perSample / rt.maxMemory());
        System.out.println("files: " + Png.size(data.file(0)).width + "×" + Png.size(data.file(0)).height + " triplets");
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks (an upper bound of the peak total: pools peak at different times). */
    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
