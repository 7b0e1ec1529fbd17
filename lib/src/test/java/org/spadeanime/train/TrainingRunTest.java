package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.Sample;
import org.spadeanime.infer.Sampler;

/**
 * 200 tiny() iterations on the synthetic set (batch 4, CPU): both losses move, G's L1 to the real
 * images of training pairs falls well below its step-0 value, the per-step memory stays flat, and
 * the run folder holds what it should. The perceptual term is on in the options, but the VGG file
 * is missing: the run says so once and trains without it.
 */
class TrainingRunTest {

    @Test
    void twoHundredTinyStepsLearn(@TempDir Path tmp) throws IOException {
        Path data = TestRuns.synthetic(tmp.resolve("synthetic"));
        TrainOptions o = TrainOptions.tiny().withData(data).with("threads", 1)
                .with("vggWeights", tmp.resolve("no-vgg16.safetensors"));
        List<String> messages = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        List<Long> tiles = new ArrayList<>();
        try (TrainingRun run = TrainingRun.start(tmp.resolve("run"), o)) {
            run.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    arrays.add(run.trainer().manager().getManagedArrays().size());
                }

                @Override
                public void onTile(long step, java.awt.image.BufferedImage tile, Path file) {
                    tiles.add(step);
                }

                @Override
                public void onMessage(String message) {
                    messages.add(message);
                }
            });
            List<Sample> probe = probe(data, o);
            double[] before = l1(run, probe);
            double rss0 = StepBenchmark.rssMb();
            long t0 = System.nanoTime();
            assertEquals(200, run.train(Long.MAX_VALUE));
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] after = l1(run, probe);
            List<StepMetrics> m = run.metrics().rows();
            double d0 = mean(m, 0, 5, true);
            double d1 = mean(m, 180, 200, true);
            double g0 = mean(m, 0, 5, false);
            double g1 = mean(m, 180, 200, false);
            double fm0 = m.subList(0, 5).stream().mapToDouble(StepMetrics::gFeatureMatching).average().orElseThrow();
            double fm1 = m.subList(180, 200).stream().mapToDouble(StepMetrics::gFeatureMatching).average().orElseThrow();
            System.out.printf(Locale.ROOT, "200 tiny steps in %.1f s (RSS %.0f -> %.0f MiB); D total %.3f -> %.3f, "
                    + "G total %.3f -> %.3f (feature matching %.3f -> %.3f); L1 on training pairs: batch statistics "
                    + "%.4f -> %.4f, inference %.4f -> %.4f%n", secs, rss0, StepBenchmark.rssMb(), d0, d1, g0, g1, fm0, fm1,
                    before[0], after[0], before[1], after[1]);
            assertTrue(Math.abs(d1 - d0) > 0.2 * Math.abs(d0), "D's loss moved");
            assertTrue(fm1 < 0.9 * fm0, "G's loss moved: its feature-matching term fell");
            assertTrue(after[0] < 0.8 * before[0], "L1 (batch statistics) fell clearly");
            assertTrue(after[1] < 0.8 * before[1], "L1 (inference) fell clearly");
            assertEquals(1, run.trainer().hasPerceptual() ? -1 : messages.stream()
                    .filter(s -> s.contains("Perceptual loss OFF")).count(), "said once: " + messages);
            assertEquals(List.of(50L, 100L, 150L, 200L), tiles);
            RunFolder f = run.folder();
            for (long s : tiles) {
                assertTrue(Files.isRegularFile(f.tile(s)), "tile " + s);
            }
            assertEquals(List.of(f.checkpoint(200), f.checkpoint(150), f.checkpoint(100)), f.checkpoints(),
                    "keepCheckpoints = 3");
            assertEquals(200, MetricsLog.read(f.metricsFile()).size());
            assertTrue(Files.size(f.chart("d")) > 1000 && Files.size(f.chart("g")) > 1000, "loss charts written");
            List<Integer> steady = arrays.subList(1, arrays.size());
            assertTrue(steady.stream().allMatch(n -> n.equals(steady.get(0))), "managed arrays per step: " + steady);
        }
    }

    private static double mean(List<StepMetrics> m, int from, int to, boolean d) {
        return m.subList(from, to).stream().mapToDouble(s -> d ? s.dTotal() : s.gTotal()).average().orElseThrow();
    }

    /** The first 8 training samples of the run's split. */
    private static List<Sample> probe(Path data, TrainOptions o) throws IOException {
        var train = AnimeDataset.open(data, DatasetOptions.defaults().withResolution(64)).split(o.seed(), o.validFraction())
                .train();
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            s.add(train.sample(i, false));
        }
        return s;
    }

    /** Mean |G(label, condition) − real| over the probe, in both generation modes. */
    private static double[] l1(TrainingRun run, List<Sample> probe) {
        double[] out = new double[2];
        Sampler.Mode[] modes = {Sampler.Mode.BATCH_STATISTICS, Sampler.Mode.INFERENCE};
        try (NDManager m = run.trainer().manager().newSubManager()) {
            for (int k = 0; k < 2; k++) {
                double sum = 0;
                for (Sample s : probe) {
                    Batch b = Batch.of(List.of(s), m);
                    NDArray fake = Sampler.generate(run.trainer().generator(), b.label(), b.condition(), modes[k], 5);
                    sum += fake.sub(b.target()).abs().mean().getFloat();
                }
                out[k] = sum / probe.size();
            }
        }
        return out;
    }
}
