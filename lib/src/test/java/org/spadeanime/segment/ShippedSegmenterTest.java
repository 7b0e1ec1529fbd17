package org.spadeanime.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.infer.Segmentation;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.metrics.ConfusionMatrix;
import org.spadeanime.model.Segmenter;

/**
 * The shipped weights/segment on synthetic illustrations it never saw (another seed than its
 * training sets'), at both sizes the shipped generators draw: it must read them about as well as
 * its recorded held-out scores say.
 */
class ShippedSegmenterTest {

    static final Path SHIPPED = Path.of("..").resolve(TrainedSegmenter.SHIPPED);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {64, 128})
    void readsUnseenIllustrationsAsWellAsItsRecordedHeldOutScore(int size) throws IOException {
        TrainedSegmenter t = TrainedSegmenter.read(SHIPPED);
        assertEquals(LabelPalette.anime().toJson(), t.palette().toJson());
        TrainedSegmenter.HeldOut recorded = t.heldOut().stream().filter(h -> h.resolution() == size).findFirst()
                .orElseThrow();
        Path dir = tmp.resolve("synthetic-" + size);
        new SyntheticAnime(size).write(dir, 0, 24, 11, 2, n -> { });
        DjlRuntime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            Segmenter net = t.load(m);
            ConfusionMatrix c = Segmentation.score(net,
                    AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(size)).all(), m);
            System.out.println("weights/segment on 24 unseen " + size + "² illustrations: " + c + "; recorded "
                    + recorded);
            assertTrue(c.pixelAccuracy() > recorded.accuracy() - 0.03, c + " vs " + recorded);
            assertTrue(c.meanIoU() > recorded.meanIoU() - 0.06, c + " vs " + recorded);
        }
    }
}
