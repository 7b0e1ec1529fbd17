package org.spadeanime.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spadeanime.TorchBackends;
import org.spadeanime.metrics.Stats;
import org.spadeanime.model.ModelOptions;

/**
 * Timings of the {@link Trainer}'s D and G updates and a long-run memory check, for the
 * {@code bench-step} command. Batches are random ({@link RandomFeed}) and made before the clock
 * starts; the perceptual term is off (as in the PyTorch script it is compared with).
 */
public final class StepBenchmark {

    /** Per-update wall times in milliseconds, after warm-up. */
    public record Timings(String name, ModelOptions model, int batch, double[] dMs, double[] gMs) {

        public double dMedian() {
            return Stats.median(dMs);
        }

        public double gMedian() {
            return Stats.median(gMs);
        }
    }

    /**
     * The memory check: resident set size after warm-up and at the end, and the trainer manager's
     * managed-array count after every iteration (min and max over the run).
     */
    public record Memory(long steps, long warmup, double rssAfterWarmupMb, double rssEndMb, int arraysMin,
                         int arraysMax, double secondsPerStep) {

        public double rssGrowthPercent() {
            return 100 * (rssEndMb - rssAfterWarmupMb) / rssAfterWarmupMb;
        }
    }

    private StepBenchmark() {}

    /** Train options for a benchmark: no decay, no perceptual term, the given threads, CPU. */
    public static TrainOptions options(ModelOptions model, int batch, int threads) {
        return TrainOptions.tiny().with(b -> b.model(model).batchSize(batch).threads(threads).polyDecay(false)
                .perceptualCoef(0).device("cpu"));
    }

    /**
     * Times {@code steps} D and G updates after {@code warmup} of each, with convolutions on ATen
     * (the kit's default) or on oneDNN. oneDNN is switched on only after the trainer (and its
     * numerics self-check) is built: its numbers may be wrong on this CPU, so its updates with a
     * non-finite loss are skipped, not fatal; only the time is measured. The ATen timing keeps the
     * default stop policy (no buffer snapshot per update), as the PyTorch reference has none.
     */
    public static Timings time(String name, ModelOptions model, int batch, int threads, int warmup, int steps,
            boolean oneDnn) throws IOException {
        TrainOptions o = oneDnn ? options(model, batch, threads).with(b -> b.nanPolicy(TrainOptions.NanPolicy.SKIP))
                : options(model, batch, threads);
        double[] d = new double[steps];
        double[] g = new double[steps];
        boolean before = TorchBackends.oneDnnEnabled().orElse(false);
        try (Trainer t = new Trainer(o, message -> { })) {
            TorchBackends.setOneDnn(oneDnn);
            RandomFeed feed = new RandomFeed(model, batch, 3);
            for (int i = 0; i < warmup + steps; i++) {
                try (NDManager m = t.manager().newSubManager()) {
                    NDList b = feed.next(m);
                    long t0 = System.nanoTime();
                    t.discriminatorStep(b.get(0), b.get(1), b.get(2));
                    if (i >= warmup) {
                        d[i - warmup] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                try (NDManager m = t.manager().newSubManager()) {
                    NDList b = feed.next(m);
                    long t0 = System.nanoTime();
                    t.generatorStep(b.get(0), b.get(1), b.get(2));
                    if (i >= warmup) {
                        g[i - warmup] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        } finally {
            TorchBackends.setOneDnn(before);
        }
        return new Timings(name, model, batch, d, g);
    }

    /** Runs {@code steps} full iterations and watches RSS (after {@code warmup}) and managed arrays. */
    public static Memory memory(ModelOptions model, int batch, int threads, long steps, long warmup,
                                java.util.function.LongConsumer progress) throws IOException {
        TrainOptions o = options(model, batch, threads).withIterations(steps);
        try (Trainer t = new Trainer(o)) {
            RandomFeed feed = new RandomFeed(model, batch, 5);
            double rssWarm = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            long t0 = 0;
            for (long i = 1; i <= steps; i++) {
                t.iteration(feed, null);
                if (i == warmup) {
                    System.gc();
                    rssWarm = rssMb();
                    t0 = System.nanoTime();
                }
                if (i >= warmup) {
                    int n = t.manager().getManagedArrays().size();
                    min = Math.min(min, n);
                    max = Math.max(max, n);
                }
                if (progress != null) {
                    progress.accept(i);
                }
            }
            System.gc();
            double secs = (System.nanoTime() - t0) / 1e9 / Math.max(1, steps - warmup);
            return new Memory(steps, warmup, rssWarm, rssMb(), min, max, secs);
        }
    }

    /** This process's resident set size (VmRSS of /proc/self/status) in MiB; NaN where unavailable. */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Parses the JSON arrays "d_ms" and "g_ms" of a bench_step.py result line. */
    public static double[][] parseTorch(String json) {
        var o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        List<double[]> out = new ArrayList<>();
        for (String k : new String[] {"d_ms", "g_ms"}) {
            var a = o.getAsJsonArray(k);
            double[] v = new double[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).getAsDouble();
            }
            out.add(v);
        }
        return out.toArray(new double[0][]);
    }
}
