package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelClass;
import org.spadeanime.label.LabelMap;
import org.spadeanime.label.LabelPalette;

class SyntheticAnimeTest {

    static final int N = 60;
    static final int SIZE = 128;

    @TempDir
    Path dir;

    private static byte[] png(SyntheticSample s) throws IOException {
        return Imaging.writeImageToBytes(s.triplet(), ImageFormats.PNG);
    }

    @Test
    void sameSeedGivesIdenticalPngBytes() throws IOException {
        SyntheticAnime g = new SyntheticAnime(SIZE);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(png(g.render(5, i)), png(g.render(5, i)), "sample " + i);
        }
        assertFalse(java.util.Arrays.equals(png(g.render(5, 0)), png(g.render(6, 0))), "another seed draws another bust");
        assertFalse(java.util.Arrays.equals(png(g.render(5, 0)), png(g.render(5, 1))));
        // written sets: one thread or three, in one go or extended with --first, give the same files
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        g.write(a, 0, 6, 9, 1, n -> { });
        g.write(b, 0, 3, 9, 3, n -> { });
        g.write(b, 3, 3, 9, 2, n -> { });
        for (int i = 0; i < 6; i++) {
            Path f = Path.of(SyntheticAnime.fileName(i));
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
        assertEquals(LabelPalette.anime(), LabelPalette.load(a.resolve("palette.json")));
        try (var s = Files.list(a)) {
            assertEquals(7, s.count(), "six triplets and palette.json, no temporary files");
        }
    }

    @Test
    void labelsAreExactAndCoverEveryClass() {
        SyntheticAnime g = new SyntheticAnime(SIZE);
        LabelPalette palette = LabelPalette.anime();
        Set<Integer> colours = palette.all().stream().map(LabelClass::rgb).collect(Collectors.toSet());
        int[] present = new int[palette.channels() + 1];
        int hairOk = 0;
        for (int i = 0; i < N; i++) {
            SyntheticSample s = g.render(11, i);
            int[] lab = Png.pixels(s.label(), 0, 0, SIZE, SIZE);
            for (int p : lab) {
                assertTrue(colours.contains(p), "sample " + i + ": label pixel " + Integer.toHexString(p) + " is no palette colour");
            }
            LabelMap map = palette.codec().decode(lab, SIZE, SIZE);
            for (int c = 0; c < present.length; c++) {
                if (map.count(c) > 0) {
                    present[c]++;
                }
            }
            // the colour map carries the sampled hair colour exactly on the hair, black elsewhere
            int[] col = Png.pixels(s.colourMap(), 0, 0, SIZE, SIZE);
            for (int k = 0; k < col.length; k++) {
                assertEquals(lab[k] == 0x0000FF ? s.hairRgb() : 0, col[k], "sample " + i + " pixel " + k);
            }
            // and the illustration's hair is drawn in it: its median is the sampled colour
            int median = HairColour.median(Png.pixels(s.illustration(), 0, 0, SIZE, SIZE), map, palette.hairChannel());
            if (maxChannelDifference(median, s.hairRgb()) <= 3) {
                hairOk++;
            }
        }
        for (int c = 0; c < present.length; c++) {
            assertTrue(present[c] >= 0.95 * N, "class code " + c + " present in only " + present[c] + " of " + N + " samples");
        }
        assertTrue(hairOk >= 0.95 * N, "hair median equals the sampled colour in only " + hairOk + " of " + N);
    }

    static int maxChannelDifference(int a, int b) {
        int d = 0;
        for (int sh = 0; sh <= 16; sh += 8) {
            d = Math.max(d, Math.abs(((a >> sh) & 0xFF) - ((b >> sh) & 0xFF)));
        }
        return d;
    }

    @Test
    void hairColoursAndPosesVary() {
        SyntheticAnime g = new SyntheticAnime(SIZE);
        List<SyntheticSample> s = java.util.stream.IntStream.range(0, 30).mapToObj(i -> g.render(3, i)).toList();
        assertTrue(s.stream().map(SyntheticSample::hairRgb).distinct().count() >= 28, "hair colours vary");
        // the hair's centre of mass moves around the frame
        double minX = 1;
        double maxX = 0;
        for (SyntheticSample x : s) {
            int[] lab = Png.pixels(x.label(), 0, 0, SIZE, SIZE);
            double sum = 0;
            int n = 0;
            for (int k = 0; k < lab.length; k++) {
                if (lab[k] == 0x00FF00) {
                    sum += (k % SIZE) / (double) SIZE;
                    n++;
                }
            }
            minX = Math.min(minX, sum / n);
            maxX = Math.max(maxX, sum / n);
        }
        assertTrue(maxX - minX > 0.15, "face positions span " + (maxX - minX) + " of the width");
    }

    @Test
    void writeMissingCompletesASetWithTheSameBytes() throws IOException {
        SyntheticAnime g = new SyntheticAnime(32);
        Path set = dir.resolve("set");
        assertEquals(5, g.writeMissing(set, 5, 4, 2).count(), "a new folder gets every sample");
        byte[] second = Files.readAllBytes(set.resolve(SyntheticAnime.fileName(1)));
        Files.delete(set.resolve(SyntheticAnime.fileName(1)));
        Files.delete(set.resolve(SyntheticAnime.fileName(4)));
        long before = Files.getLastModifiedTime(set.resolve(SyntheticAnime.fileName(0))).toMillis();
        assertEquals(2, g.writeMissing(set, 5, 4, 2).count(), "only the two missing ones");
        assertArrayEquals(second, Files.readAllBytes(set.resolve(SyntheticAnime.fileName(1))));
        assertEquals(before, Files.getLastModifiedTime(set.resolve(SyntheticAnime.fileName(0))).toMillis(), "kept");
        assertEquals(0, g.writeMissing(set, 5, 4, 2).count(), "complete");
        assertEquals(3, g.writeMissing(set, 8, 4, 2).count(), "extended");
    }
}
