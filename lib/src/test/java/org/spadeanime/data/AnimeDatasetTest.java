package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.label.LabelClass;
import org.spadeanime.label.LabelPalette;

class AnimeDatasetTest {

    private final NDManager manager = TestData.manager();

    @TempDir
    Path dir;

    private static final int EYE = 0xFF0000;
    private static final int FACE = 0x00FF00;
    private static final int HAIR = 0x0000FF;
    private static final int OTHER = 0xFF00FF;
    private static final int BG = 0xFFFF00;

    @Test
    void tripletLoadingEqualsHandBuiltArrays() throws IOException {
        int s = 4;
        int[] label = {
            BG, BG, HAIR, HAIR,
            BG, FACE, HAIR, 0xE01010,          // a dark-ish red still reads as eye (channels > 0.4 rule)
            EYE, FACE, OTHER, 0xFFFFFF,        // white: no class → background, counted unmatched
            BG, FACE, HAIR, OTHER};
        int[] illus = new int[s * s];
        int[] colour = new int[s * s];
        for (int i = 0; i < s * s; i++) {
            illus[i] = (i * 16) << 16 | (255 - i * 16) << 8 | (i * 5);
            colour[i] = 0x102030 + i * 0x010101;
        }
        TestData.triplet(dir.resolve("one.png"), s, illus, label, colour);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(s));
        assertEquals(DataFormat.TRIPLETS, data.format());
        assertEquals(1, data.size());
        assertEquals("one", data.name(0));
        try (Batch b = data.all().batch(manager, 0)) {
            assertEquals(new Shape(1, 4, s, s), b.label().getShape());
            assertEquals(DataType.FLOAT32, b.label().getDataType());
            int plane = s * s;
            float[] expLabel = new float[4 * plane];
            float[] expCond = new float[3 * plane];
            float[] expTarget = new float[3 * plane];
            int[] channelOf = new int[plane];
            for (int i = 0; i < plane; i++) {
                int l = label[i];
                int ch = l == EYE || l == 0xE01010 ? 0 : l == FACE ? 1 : l == HAIR ? 2 : l == OTHER ? 3 : -1;
                channelOf[i] = ch;
                if (ch >= 0) {
                    expLabel[ch * plane + i] = 1;
                }
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    expTarget[c * plane + i] = ((illus[i] >> shift) & 0xFF) / 255f * 2 - 1;
                    expCond[c * plane + i] = ch == 2 ? ((colour[i] >> shift) & 0xFF) / 255f : 0;
                }
            }
            assertArrayEquals(expLabel, b.label().toFloatArray());
            assertArrayEquals(expCond, b.condition().toFloatArray(), 1e-7f);
            assertArrayEquals(expTarget, b.target().toFloatArray(), 1e-6f);
            assertEquals(List.of("one"), b.names());
        }
        // at half resolution: labels nearest (top-left of each 2×2 block), images averaged
        AnimeDataset half = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(2));
        Sample h = half.sample(0, false);
        assertEquals(0, h.label().code(0, 0));            // BG
        assertEquals(3, h.label().code(1, 0));            // HAIR
        assertEquals(1, h.label().code(0, 1));            // EYE
        assertEquals(4, h.label().code(1, 1));            // OTHER
        float mean = 0;
        for (int i : new int[] {0, 1, 4, 5}) {
            mean += ((illus[i] >> 16) & 0xFF) / 255f / 4;
        }
        assertEquals(mean * 2 - 1, h.target()[0], 1e-5f);
    }

    @Test
    void folderFormatWithColoursEqualsTriplets() throws IOException {
        Path triplets = dir.resolve("triplets");
        Path folders = dir.resolve("folders");
        TestData.syntheticTriplets(triplets, 4, 32, 3);
        TestData.syntheticFolders(folders, 4, 32, 3, true);
        AnimeDataset a = AnimeDataset.open(triplets, DatasetOptions.defaults().withResolution(32));
        AnimeDataset b = AnimeDataset.open(folders, DatasetOptions.defaults().withResolution(32));
        assertEquals(DataFormat.FOLDERS, b.format());
        for (int i = 0; i < 4; i++) {
            Sample x = a.sample(i, false);
            Sample y = b.sample(i, false);
            assertEquals(x.label(), y.label());
            assertArrayEquals(x.condition(), y.condition());
            assertArrayEquals(x.target(), y.target());
        }
    }

    @Test
    void derivedColourMapIsTheTrueHairColour() throws IOException {
        int n = 30;
        TestData.syntheticFolders(dir, n, 128, 21, false);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(64));
        SyntheticAnime g = new SyntheticAnime(128);
        int close = 0;
        for (int i = 0; i < n; i++) {
            Sample s = data.sample(i, false);
            int truth = g.render(21, Integer.parseInt(s.name().substring("bust-".length()))).hairRgb();
            if (SyntheticAnimeTest.maxChannelDifference(s.hairRgb(), truth) <= 3) {
                close++;
            }
            // the condition is that colour on the hair and zero elsewhere
            int plane = 64 * 64;
            for (int k = 0; k < plane; k += 7) {
                boolean hair = s.label().code(k) == 3;
                assertEquals(hair ? ((s.hairRgb() >> 8) & 0xFF) / 255f : 0f, s.condition()[plane + k], 1e-6f);
            }
        }
        assertTrue(close >= 0.95 * n, "derived hair colour within 3/255 of the truth for only " + close + " of " + n);
    }

    @Test
    void mirrorFlipsEverything() throws IOException {
        TestData.syntheticTriplets(dir, 1, 32, 5);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(32));
        Sample a = data.sample(0, false);
        Sample m = data.sample(0, true);
        assertTrue(m.mirrored());
        int w = 32;
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(a.label().code(x, y), m.label().code(w - 1 - x, y));
                for (int c = 0; c < 3; c++) {
                    int i = c * w * w + y * w + x;
                    int j = c * w * w + y * w + (w - 1 - x);
                    assertEquals(a.target()[i], m.target()[j]);
                    assertEquals(a.condition()[i], m.condition()[j]);
                }
            }
        }
        assertNotEquals(a.label(), m.label(), "a bust is not left–right symmetric");
    }

    @Test
    void splitIsDeterministicDisjointAndNinetyTen() throws IOException {
        for (int i = 0; i < 40; i++) {
            int[] px = new int[16];
            java.util.Arrays.fill(px, HAIR);
            TestData.triplet(dir.resolve(String.format("s%02d.png", i)), 4, px, px, px);
        }
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(4));
        DataSplit a = data.split(7, 0.1);
        DataSplit b = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(4)).split(7, 0.1);
        assertEquals(36, a.train().size());
        assertEquals(4, a.valid().size());
        assertEquals(a.train().names(), b.train().names());
        assertEquals(a.valid().names(), b.valid().names());
        Set<String> all = new HashSet<>(a.train().names());
        all.addAll(a.valid().names());
        assertEquals(40, all.size());
        assertNotEquals(a.valid().names(), data.split(8, 0.1).valid().names());
        assertEquals(1, data.split(7, 0.001).valid().size(), "a positive fraction keeps at least one");
    }

    @Test
    void streamCoversEachEpochOnceAndResumes() throws IOException {
        TestData.syntheticTriplets(dir, 6, 16, 2);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(16).withWorkers(2).withPrefetch(3));
        DataView view = data.all();
        List<String> epoch0 = new ArrayList<>();
        List<String> epoch1 = new ArrayList<>();
        List<float[]> fourth = new ArrayList<>();
        try (BatchStream st = view.stream(4, 99, true)) {
            assertEquals(12, st.epochLength());
            for (int k = 0; k < 6; k++) {
                try (Batch b = st.next(manager)) {
                    assertEquals(new Shape(4, 4, 16, 16), b.label().getShape());
                    assertEquals(new Shape(4, 3, 16, 16), b.condition().getShape());
                    assertEquals(new Shape(4, 3, 16, 16), b.target().getShape());
                    assertEquals(Device.cpu(), b.target().getDevice());
                    for (Sample s : b.samples()) {
                        (k < 3 ? epoch0 : epoch1).add(s.name() + (s.mirrored() ? "/m" : ""));
                    }
                    if (k == 3) {
                        fourth.add(b.target().toFloatArray());
                        fourth.add(b.label().toFloatArray());
                    }
                }
            }
            assertEquals(6, st.position());
            assertEquals(2, st.epoch());
        }
        assertEquals(12, new HashSet<>(epoch0).size(), "every example, plain and mirrored, once per epoch: " + epoch0);
        assertEquals(new HashSet<>(epoch0), new HashSet<>(epoch1));
        assertNotEquals(epoch0, epoch1, "each epoch is reshuffled");
        try (BatchStream resumed = view.stream(4, 99, true, 3); Batch b = resumed.next(manager)) {
            assertArrayEquals(fourth.get(0), b.target().toFloatArray());
            assertArrayEquals(fourth.get(1), b.label().toFloatArray());
        }
    }

    @Test
    void anInterruptedThreadStillGetsItsBatchAndKeepsTheInterrupt() throws IOException {
        TestData.syntheticTriplets(dir, 6, 16, 2);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(16).withWorkers(1).withPrefetch(1));
        try (BatchStream st = data.all().stream(4, 99, false)) {
            // a stop request that lands while a training iteration awaits its batch must not cut the iteration
            Thread.currentThread().interrupt();
            try (Batch b = st.next(manager)) {
                assertEquals(new Shape(4, 3, 16, 16), b.target().getShape());
            }
            assertTrue(Thread.interrupted(), "the interrupt is left for the training loop");
            assertEquals(1, st.position());
        }
    }

    @Test
    void validateReportsUnmatchedPixelsAndClassShares() throws IOException {
        int[] grey = new int[16];
        java.util.Arrays.fill(grey, 0x808080);
        // a: 8 background, 4 hair, 4 white (unmatched); b: 16 face
        int[] a = {BG, BG, BG, BG, BG, BG, BG, BG, HAIR, HAIR, HAIR, HAIR, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF};
        int[] b = new int[16];
        java.util.Arrays.fill(b, FACE);
        TestData.triplet(dir.resolve("a.png"), 4, grey, a, grey);
        TestData.triplet(dir.resolve("b.png"), 4, grey, b, grey);
        DatasetReport r = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(4)).validate();
        assertEquals(2, r.samples());
        assertEquals(4 / 32.0, r.unmatched(), 1e-12);
        assertEquals(0.25, r.worstUnmatched(), 1e-12);
        assertEquals("a", r.worstName());
        // [background (unmatched included), eye, face, hair, other]
        assertArrayEquals(new double[] {12 / 32.0, 0, 16 / 32.0, 4 / 32.0, 0}, r.classFractions(), 1e-12);
    }

    @Test
    void paletteFileInTheFolderIsUsed() throws IOException {
        LabelPalette custom = LabelPalette.of(List.of(new LabelClass("skin", 0xFF8000), new LabelClass("hair", 0x00FF00)),
                new LabelClass("background", 0x000000), LabelPalette.Match.NEAREST, 8);
        custom.save(dir.resolve(AnimeDataset.PALETTE_FILE));
        int[] label = {0x000000, 0xFF8000, 0x00FF00, 0x04FC04};
        int[] px = {0x808080, 0x808080, 0x123456, 0x654321};
        TestData.triplet(dir.resolve("x.png"), 2, px, label, px);
        AnimeDataset data = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(2));
        assertEquals(custom, data.palette());
        Sample s = data.sample(0, false);
        assertEquals(2, s.label().channels());
        assertArrayEquals(new int[] {0, 1, 2, 2}, new int[] {s.label().code(0), s.label().code(1), s.label().code(2), s.label().code(3)});
        assertEquals(0x12 / 255f, s.condition()[2], 1e-6f);
        assertEquals(0f, s.condition()[1]);
    }
}
