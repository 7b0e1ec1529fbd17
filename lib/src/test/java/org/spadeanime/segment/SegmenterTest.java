package org.spadeanime.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DataSplit;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.io.BadInputException;
import org.spadeanime.label.LabelMap;
import org.spadeanime.metrics.ConfusionMatrix;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.infer.HeldOutEvaluation;
import org.spadeanime.infer.Segmentation;
import org.spadeanime.model.Segmenter;

/**
 * The segmenter behind the mIoU score: shapes, the loss against a hand-computed value, a short
 * training on 40 synthetic 64² illustrations that must read them far better than chance, and the
 * segmenter folder's round trip.
 */
class SegmenterTest {

    @TempDir
    static Path tmp;

    static NDManager manager;
    static DataSplit split;
    static Segmenter trained;
    static List<String> log = new ArrayList<>();
    static final SegmenterTraining.Recipe RECIPE = new SegmenterTraining.Recipe(120, 8, 2e-3, 8, 1);

    @BeforeAll
    static void train() throws IOException {
        DjlRuntime.init();
        manager = NDManager.newBaseManager();
        Path dir = tmp.resolve("synthetic");
        new SyntheticAnime(64).write(dir, 0, 48, 3, 2, n -> { });
        AnimeDataset set = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(64));
        split = set.split(1, 8.0 / 48);
        trained = SegmenterTraining.train(RECIPE, List.of(split.train()), manager, log::add);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void logitsHaveOneChannelPerClassAndBackgroundAtAnySizeDividingByFour() {
        Segmenter net = new Segmenter(Segmenter.options(4, 4, 64));
        try (NDManager m = manager.newSubManager()) {
            net.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = net.forward(ps, new NDList(m.randomUniform(-1, 1, new Shape(2, 3, 32, 48))), false).head();
            assertEquals(new Shape(2, 5, 32, 48), y.getShape());
            assertThrows(IllegalArgumentException.class,
                    () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 3, 30, 32))), false));
        }
    }

    @Test
    void crossEntropyIsMinusTheLogSoftmaxOfTheTrueClassIncludingBackground() {
        try (NDManager m = manager.newSubManager()) {
            // two pixels, 2 label channels: pixel 0 is background, pixel 1 channel 1 (code 2)
            NDArray logits = m.create(new float[] {1, 0, 0, 0, 2, 3}, new Shape(1, 3, 1, 2));
            NDArray label = m.create(new float[] {0, 0, 0, 1}, new Shape(1, 2, 1, 2));
            double p0 = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(0) + Math.exp(2)));
            double p1 = -Math.log(Math.exp(3) / (Math.exp(0) + Math.exp(0) + Math.exp(3)));
            assertEquals((p0 + p1) / 2, SegmenterTraining.crossEntropy(logits, label).getFloat(), 1e-6);
            assertArrayEquals(new int[] {0, 2}, Segmentation.codesOfLabel(label).toIntArray());
        }
    }

    @Test
    void aShortTrainingReadsHeldOutIllustrationsFarBetterThanTheMajorityClass() throws IOException {
        assertEquals(20, log.size(), "a progress line per 5 %: " + log);
        assertTrue(log.get(19).startsWith("segmenter 120/120"), log.get(19));
        ConfusionMatrix m = Segmentation.score(trained, split.valid(), manager);
        long majority = 0;
        for (int c = 0; c < m.classes(); c++) {
            long truth = 0;
            for (int k = 0; k < m.classes(); k++) {
                truth += m.count(c, k);
            }
            majority = Math.max(majority, truth);
        }
        double chance = (double) majority / m.total();
        System.out.println("segmenter after 120 iterations, held out: " + m + ", majority class " + chance);
        assertTrue(m.pixelAccuracy() > 0.75 && m.pixelAccuracy() > chance + 0.15, m + ", majority " + chance);
        assertTrue(m.meanIoU() > 0.45, m.toString());
    }

    @Test
    void theSegmentationScoreOfRealImagesIsTheirOwnAndAFlatDrawingScoresFarBelow() throws IOException {
        HeldOutEvaluation.Result real = HeldOutEvaluation.evaluate(split.valid(), 4, manager,
                b -> b.target().duplicate(), trained, (done, total) -> { });
        assertTrue(real.segmented());
        assertEquals(real.realMeanIoU(), real.meanIoU(), 0);
        assertEquals(1, real.meanIoURatio(), 0);
        assertEquals(Segmentation.score(trained, split.valid(), manager).meanIoU(), real.realMeanIoU(), 1e-12,
                "pooled over the view as the segmenter's own held-out score");
        assertEquals(8, real.table().rowCount());
        assertTrue(real.table().columnNames().contains("mIoU"), real.table().columnNames().toString());
        assertTrue(real.toString().contains("ratio 1.00"), real.toString());
        HeldOutEvaluation.Result flat = HeldOutEvaluation.evaluate(split.valid(), 4, manager,
                b -> b.target().zerosLike(), trained, (done, total) -> { });
        assertTrue(flat.meanIoURatio() < 0.5, flat.toString());
        HeldOutEvaluation.Result none = HeldOutEvaluation.evaluate(split.valid(), 4, manager, b -> b.target().duplicate());
        assertTrue(!none.segmented() && Double.isNaN(none.meanIoU()) && !none.toString().contains("mIoU"));
    }

    @Test
    void aSegmenterFolderRoundTripsAndItsLoadedCopyReadsTheSameLabels(@TempDir Path out) throws IOException {
        Path folder = out.resolve("segment");
        var palette = split.train().dataset().palette();
        TrainedSegmenter written = TrainedSegmenter.write(folder, trained, palette, RECIPE, List.of("synthetic"),
                12.34, List.of(new TrainedSegmenter.HeldOut("synthetic", 64, 8, 0.9, 0.8)));
        assertEquals(RECIPE, written.recipe());
        assertEquals(12.3, written.trainedSeconds(), 0);
        assertEquals(List.of(new TrainedSegmenter.HeldOut("synthetic", 64, 8, 0.9, 0.8)), written.heldOut());
        assertEquals("Segmenter", ModelCheckpoint.readKind(folder.resolve(TrainedSegmenter.CHECKPOINT)));
        assertEquals(palette.toJson(), written.palette().toJson());
        try (NDManager m = manager.newSubManager()) {
            Segmenter loaded = TrainedSegmenter.load(folder, m);
            var batch = split.valid().batch(m, 0, 1, 2);
            assertArrayEquals(Segmentation.codes(trained, batch.target()).toIntArray(),
                    Segmentation.codes(loaded, batch.target()).toIntArray());
            // one illustration at twice the size: read at 64², labels scaled back to 128²
            var image = org.spadeanime.io.ImageTensors.toImage(batch.target().get(0), -1f, 1f);
            var big = new java.awt.image.BufferedImage(128, 128, java.awt.image.BufferedImage.TYPE_INT_RGB);
            big.createGraphics().drawImage(image, 0, 0, 128, 128, null);
            LabelMap one = Segmentation.label(loaded, big, m);
            assertEquals(128, one.width());
            int[] small = Segmentation.codes(loaded, batch.target().get("0:1")).toIntArray();
            int same = 0;
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    same += one.code(x, y) == small[(y / 2) * 64 + x / 2] ? 1 : 0;
                }
            }
            assertTrue(same > 0.9 * 128 * 128, same + " of 128² pixels agree with the 64² reading");
        }
        Files.writeString(folder.resolve(TrainedSegmenter.PALETTE), "{}");
        assertThrows(BadInputException.class, () -> TrainedSegmenter.read(folder), "an edited file is refused");
        BadInputException e = assertThrows(BadInputException.class, () -> TrainedSegmenter.read(out));
        assertTrue(e.getMessage().contains("not a segmenter folder"), e.getMessage());
    }
}
