package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.Sample;
import org.spadeanime.data.SyntheticAnime;

/** A short tiny() run on the synthetic set: both losses move and G gets closer to the real images. */
class TrainingRunTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void synth() throws IOException {
        data = tmp.resolve("synthetic");
        new SyntheticAnime(64).write(data, 0, 48, 11, 2, n -> { });
    }

    @Test
    void twoHundredTinyStepsLearn() throws IOException {
        TrainOptions o = TrainOptions.tiny().withData(data).with("vggWeights", tmp.resolve("no-vgg.safetensors"));
        try (TrainingRun run = TrainingRun.start(tmp.resolve("run"), o)) {
            List<Sample> probe = probe();
            double[] l1Before = l1(run, probe);
            long t0 = System.nanoTime();
            run.train(200);
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] l1After = l1(run, probe);
            List<StepMetrics> m = run.metrics().rows();
            System.out.printf("200 steps in %.1f s; L1 batch-stats %.4f -> %.4f, inference %.4f -> %.4f%n", secs,
                    l1Before[0], l1After[0], l1Before[1], l1After[1]);
            for (int i = 0; i < m.size(); i += 20) {
                System.out.println(m.get(i));
            }
            System.out.println(m.get(m.size() - 1));
            assertTrue(l1After[0] < 0.8 * l1Before[0], "L1 fell");
        }
    }

    private static List<Sample> probe() throws IOException {
        AnimeDataset d = AnimeDataset.open(data, DatasetOptions.defaults().withResolution(64));
        var train = d.split(TrainOptions.tiny().seed(), 0.1).train();
        return List.of(train.sample(0, false), train.sample(1, false), train.sample(2, false), train.sample(3, false),
                train.sample(4, false), train.sample(5, false), train.sample(6, false), train.sample(7, false));
    }

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
