package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelPalette;

/** Each broken input is written for real; the error must name the file and what was expected. */
class BadInputTest {

    private final NDManager manager = TestData.manager();

    @TempDir
    Path dir;

    private static final DatasetOptions AT_16 = DatasetOptions.defaults().withResolution(16);

    private static BadInputException assertBad(Path file, String expected, Executable what) {
        BadInputException e = assertThrows(BadInputException.class, what);
        assertEquals(file.toAbsolutePath().normalize(), e.file().toAbsolutePath().normalize(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    private static int[] filled(int n, int rgb) {
        int[] a = new int[n];
        Arrays.fill(a, rgb);
        return a;
    }

    @Test
    void unreadablePng() throws IOException {
        TestData.syntheticTriplets(dir, 2, 16, 1);
        Path bad = dir.resolve("anime-000001.png");
        Files.writeString(bad, "GIF89a... not a PNG at all");
        assertBad(bad, "not a readable PNG", () -> AnimeDataset.open(dir, AT_16));
    }

    @Test
    void truncatedPngFailsWhenDecodedOrIsSkipped() throws IOException {
        TestData.syntheticTriplets(dir, 3, 16, 1);
        Path bad = dir.resolve("anime-000001.png");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(bytes, bytes.length - 200));   // header intact, pixel data cut
        AnimeDataset data = AnimeDataset.open(dir, AT_16);
        assertBad(bad, "truncated", () -> data.sample(1, false));
        // --skip-bad: logged, listed, replaced by the next good sample in the stream
        AnimeDataset skipping = AnimeDataset.open(dir, AT_16.withSkipBad(true));
        Set<String> seen = new HashSet<>();
        try (BatchStream st = skipping.all().stream(1, 0, false)) {
            for (int k = 0; k < 6; k++) {
                try (Batch b = st.next(manager)) {
                    seen.addAll(b.names());
                }
            }
        }
        assertEquals(Set.of("anime-000000", "anime-000002"), seen);
        assertEquals(1, skipping.skipped().size());
        assertTrue(skipping.skipped().get(0).contains(bad.toString()));
    }

    @Test
    void tripletOfWrongWidth() throws IOException {
        Path f = dir.resolve("wide.png");
        Png.write(TestData.image(filled(20 * 8, 0xFFFF00), 20, 8), f);
        BadInputException e = assertBad(f, "width 3×height", () -> AnimeDataset.open(dir, AT_16));
        assertTrue(e.getMessage().contains("20×8"), e.getMessage());
    }

    @Test
    void imageAndLabelSizesDiffer() throws IOException {
        Png.write(TestData.image(filled(64, 0x808080), 8, 8), dir.resolve("images/a.png"));
        Path label = dir.resolve("labels/a.png");
        Png.write(TestData.image(filled(16, 0xFFFF00), 4, 4), label);
        assertBad(label, "does not match its image a.png (8×8)", () -> AnimeDataset.open(dir, AT_16));
    }

    @Test
    void labelWithoutAnyPaletteColour() throws IOException {
        Path f = dir.resolve("grey.png");
        TestData.triplet(f, 4, filled(16, 0x808080), filled(16, 0x000000), filled(16, 0x000000));
        AnimeDataset data = AnimeDataset.open(dir, AT_16);
        assertBad(f, "no pixel in a palette colour", () -> data.sample(0, false));
        Path label = dir.resolve("labels/a.png");
        Png.write(TestData.image(filled(16, 0x808080), 4, 4), dir.resolve("images/a.png"));
        Png.write(TestData.image(filled(16, 0xFFFFFF), 4, 4), label);
        AnimeDataset folders = AnimeDataset.open(dir, AT_16);
        assertBad(label, "expected the colours", () -> folders.sample(0, false));
    }

    @Test
    void emptyFolders() throws IOException {
        assertBad(dir, "empty data set folder", () -> AnimeDataset.open(dir, AT_16));
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("labels"));
        assertBad(dir.resolve("images"), "empty folder", () -> AnimeDataset.open(dir, AT_16));
        Path missing = dir.resolve("nope");
        assertBad(missing, "no such folder", () -> AnimeDataset.open(missing, AT_16));
    }

    @Test
    void imageWithoutItsLabel() throws IOException {
        Png.write(TestData.image(filled(16, 0x808080), 4, 4), dir.resolve("images/a.png"));
        Png.write(TestData.image(filled(16, 0x0000FF), 4, 4), dir.resolve("labels/a.png"));
        Path orphan = dir.resolve("images/b.png");
        Png.write(TestData.image(filled(16, 0x808080), 4, 4), orphan);
        assertBad(orphan, "has no label: expected " + dir.resolve("labels/b.png"), () -> AnimeDataset.open(dir, AT_16));
        AnimeDataset skipping = AnimeDataset.open(dir, AT_16.withSkipBad(true));
        assertEquals(1, skipping.size());
        assertEquals("a", skipping.name(0));
    }

    @Test
    void paletteFileWithDuplicateColours() throws IOException {
        TestData.syntheticTriplets(dir, 1, 16, 1);
        Path palette = dir.resolve(AnimeDataset.PALETTE_FILE);
        Files.writeString(palette, "eye #FF0000\nhair #0000FF\nface #FF0000\nbackground #FFFF00\n");
        assertBad(palette, "same colour #FF0000", () -> AnimeDataset.open(dir, AT_16));
    }

    @Test
    void nonSquareImageAndPaletteWithoutHair() throws IOException {
        Path img = dir.resolve("images/a.png");
        Png.write(TestData.image(filled(32, 0x808080), 8, 4), img);
        Png.write(TestData.image(filled(32, 0x0000FF), 8, 4), dir.resolve("labels/a.png"));
        assertBad(img, "expected a square image", () -> AnimeDataset.open(dir, AT_16));
        Path palette = dir.resolve(AnimeDataset.PALETTE_FILE);
        Files.writeString(palette, "eye #FF0000\nface #00FF00\nbackground #FFFF00\n");
        assertBad(palette, "no class named 'hair'", () -> AnimeDataset.open(dir, AT_16));
    }

    @Test
    void predictionInputOfWrongShape() throws IOException {
        Path f = dir.resolve("in.png");
        Png.write(TestData.image(filled(12, 0x0000FF), 4, 3), f);
        assertBad(f, "width 2×height", () -> PredictionInput.read(f, LabelPalette.anime(), 16, new Random(1)));
    }
}
