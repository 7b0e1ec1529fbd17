package org.spadeanime.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DataSplit;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.Sample;
import org.spadeanime.label.LabelMap;

/** {@link ReferenceDrawings} on 12 synthetic 48² examples: the medians against a sort, and both drawings pixel by pixel. */
class ReferenceDrawingsTest {

    @TempDir
    static Path tmp;

    static DataSplit split;
    static ReferenceDrawings drawings;
    static NDManager manager;
    static int hairCode;

    @BeforeAll
    static void data() throws IOException {
        Path dir = tmp.resolve("synthetic");
        new org.spadeanime.data.SyntheticAnime(48).write(dir, 0, 12, 5, 2, n -> { });
        AnimeDataset dataset = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(48));
        split = dataset.split(3, 0.25);
        drawings = ReferenceDrawings.of(split.train());
        hairCode = dataset.palette().hairChannel() + 1;
        DjlRuntime.init();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void theMediansAreTheTrainingSplitsLowerMedianPerClassAndChannel() throws IOException {
        int codes = split.train().dataset().palette().channels() + 1;
        for (int code = 0; code < codes; code++) {
            List<List<Float>> values = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int p = 0; p < split.train().size(); p++) {
                Sample s = split.train().sample(p, false);
                byte[] label = s.label().codes();
                for (int i = 0; i < label.length; i++) {
                    if ((label[i] & 0xFF) == code) {
                        for (int k = 0; k < 3; k++) {
                            values.get(k).add(s.target()[k * label.length + i]);
                        }
                    }
                }
            }
            assertTrue(values.get(0).size() > 0, "every class shows in 9 synthetic busts: " + code);
            float[] expected = new float[3];
            for (int k = 0; k < 3; k++) {
                float[] v = new float[values.get(k).size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values.get(k).get(i);
                }
                Arrays.sort(v);
                expected[k] = v[(v.length - 1) / 2];
            }
            assertArrayEquals(expected, drawings.median(code), 1e-6f, "code " + code);
        }
    }

    /** Draws the validation split with {@code drawing} in batches of {@code batch}, checking every pixel against {@code want}. */
    private static HeldOutEvaluation.Result drawChecked(Function<Batch, NDArray> drawing, int batch,
            ReferenceDrawings.Pixel want, float tolerance) throws IOException {
        return HeldOutEvaluation.evaluate(split.valid(), batch, manager, b -> {
            NDArray drawn = drawing.apply(b);
            float[] d = drawn.toFloatArray();
            for (int n = 0; n < b.size(); n++) {
                Sample s = b.samples().get(n);
                byte[] label = s.label().codes();
                int plane = label.length;
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < plane; i++) {
                        assertEquals(want.value(s, label[i] & 0xFF, k, i, plane), d[(n * 3 + k) * plane + i], tolerance,
                                s.name() + " channel " + k + " pixel " + i);
                    }
                }
            }
            return drawn;
        });
    }

    @Test
    void realWithFlatBackgroundChangesTheBackgroundOnlyAndScoresItsL1() throws IOException {
        float[] background = drawings.median(LabelMap.BACKGROUND);
        HeldOutEvaluation.Result r = drawChecked(drawings.realWithFlatBackground(), 2,
                (s, code, k, i, plane) -> code == LabelMap.BACKGROUND ? background[k] : s.target()[k * plane + i], 0f);
        for (int i = 0; i < split.valid().size(); i++) {
            Sample s = split.valid().sample(i, false);
            byte[] label = s.label().codes();
            int plane = label.length;
            double sum = 0;
            for (int p = 0; p < plane; p++) {
                if ((label[p] & 0xFF) == LabelMap.BACKGROUND) {
                    for (int k = 0; k < 3; k++) {
                        sum += Math.abs(background[k] - s.target()[k * plane + p]);
                    }
                }
            }
            assertEquals(sum / (3.0 * plane), r.scores().get(i).l1(), 1e-5, s.name());
            assertEquals(r.scores().get(i).realHairDeltaE(), r.scores().get(i).hairDeltaE(), 0, "the hair is the real one");
        }
    }

    @Test
    void flatPaintsEachClassItsMedianAndTheHairItsRequestedColour() throws IOException {
        HeldOutEvaluation.Result r = drawChecked(drawings.flat(), 3, (s, code, k, i, plane) -> code == hairCode
                ? 2 * s.condition()[k * plane + i] - 1 : drawings.median(code)[k], 1e-6f);
        assertEquals(0, r.hairDeltaE(), 1e-6, "flat hair is the requested colour (float rounding aside)");
        assertEquals(0, r.frameDeltaE(), 0, "a flat background has no frame");
    }

    @Test
    void blurredIsTheWindowMeanWithEdgesReplicated() throws IOException {
        HeldOutEvaluation.Result same = HeldOutEvaluation.evaluate(split.valid(), 4, manager, b -> {
            assertArrayEquals(b.target().toFloatArray(), ReferenceDrawings.blurred(1).apply(b).toFloatArray(), 0f);
            return ReferenceDrawings.blurred(1).apply(b);
        });
        assertEquals(0, same.l1(), 0, "a 1×1 window is the image itself");
        HeldOutEvaluation.Result r = HeldOutEvaluation.evaluate(split.valid(), 4, manager, b -> {
            NDArray drawn = ReferenceDrawings.blurred(3).apply(b);
            float[] d = drawn.toFloatArray();
            Sample s = b.samples().get(0);
            int n = s.label().width();
            float[] t = s.target();
            // inside: the mean of the nine neighbours; the corner (0, 0): of (0..1)² with row and column 0 twice
            int x = 20;
            int y = 17;
            float inside = 0;
            float corner = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    inside += t[(y + dy) * n + x + dx];
                    corner += t[Math.max(0, dy) * n + Math.max(0, dx)];
                }
            }
            assertEquals(inside / 9, d[y * n + x], 1e-6f);
            assertEquals(corner / 9, d[0], 1e-6f);
            return drawn;
        });
        assertTrue(r.l1() > 0 && r.checkerboard() < r.realCheckerboard(), "blur removes detail: " + r);
        assertThrows(IllegalArgumentException.class, () -> ReferenceDrawings.blurred(0));
    }

    @Test
    void anEmptyTrainingViewIsRefused() throws IOException {
        Path one = tmp.resolve("one");
        new org.spadeanime.data.SyntheticAnime(48).write(one, 0, 1, 5, 2, n -> { });
        DataSplit allValid = AnimeDataset.open(one, DatasetOptions.defaults().withResolution(48)).split(3, 0.9);
        assertEquals(0, allValid.train().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceDrawings.of(allValid.train()));
        assertTrue(e.getMessage().contains("no examples"), e.getMessage());
    }
}
