package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Png;

/** Decompression bombs are refused before decoding; what a data folder holds besides PNGs is named. */
class DataFolderHygieneTest {

    @TempDir
    Path dir;

    /** A real, tiny PNG file whose header claims {@code width}×{@code height} RGB pixels (a decompression bomb). */
    static Path bomb(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter set, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater d = new Deflater();
        d.setInput(new byte[1 << 16]); // the first rows of zeros: enough to look like image data
        d.finish();
        byte[] z = new byte[1 << 12];
        chunk(out, "IDAT", java.util.Arrays.copyOf(z, d.deflate(z)));
        chunk(out, "IEND", new byte[0]);
        return Files.write(file, bytes.toByteArray());
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void aDecompressionBombIsRefusedByItsHeaderNamingTheFileAndItsSize() throws IOException {
        Path file = bomb(dir.resolve("bomb.png"), 30000, 30000);
        assertTrue(Files.size(file) < 10_000, "a small file");
        BadInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(BadInputException.class, () -> Png.read(file)));
        assertEquals(file + ": its header claims 30000×30000 pixels (858.3 Mpx), more than the 64.0 Mpx limit for "
                + "decoding; not decoded (raise the limit with -Dspade.png.maxPixels=N or SPADE_PNG_MAX_PIXELS if the "
                + "image is real)", e.getMessage());
    }

    @Test
    void aTripletTooLargeForAnIntIsNamedWithoutOverflow() throws IOException {
        TestData.syntheticTriplets(dir, 2, 16, 1);
        Path file = bomb(dir.resolve("anime-huge.png"), 90000, 30000);
        BadInputException e = assertThrows(BadInputException.class,
                () -> AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(16)));
        assertTrue(e.getMessage().startsWith(file + ": its header claims 90000×30000 pixels (2574.9 Mpx)"), e.getMessage());
    }

    @Test
    void theLimitIsConfigurable() throws IOException {
        Path file = bomb(dir.resolve("wide.png"), 4000, 3000);
        String before = System.getProperty(Png.MAX_PIXELS_PROPERTY);
        System.setProperty(Png.MAX_PIXELS_PROPERTY, "1000000");
        try {
            BadInputException e = assertThrows(BadInputException.class, () -> Png.size(file));
            assertTrue(e.getMessage().contains("more than the 1.0 Mpx limit"), e.getMessage());
            System.setProperty(Png.MAX_PIXELS_PROPERTY, "20000000");
            assertEquals(4000, Png.size(file).width);
            System.setProperty(Png.MAX_PIXELS_PROPERTY, "lots");
            assertThrows(IllegalArgumentException.class, () -> Png.size(file));
        } finally {
            if (before == null) {
                System.clearProperty(Png.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(Png.MAX_PIXELS_PROPERTY, before);
            }
        }
    }

    @Test
    void whatIsNotAPngIsNamedWithTheReason() throws IOException {
        TestData.syntheticTriplets(dir, 3, 16, 1);
        Files.write(dir.resolve("photo.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
        Files.createDirectory(dir.resolve("x.png"));
        Files.createSymbolicLink(dir.resolve("dangling.png"), dir.resolve("gone.png"));
        Files.createSymbolicLink(dir.resolve("loop.png"), dir.resolve("loop.png"));
        Files.writeString(dir.resolve("notes.txt"), "todo");
        Files.writeString(dir.resolve(".DS_Store"), "hidden: not reported");
        AnimeDataset d = AnimeDataset.open(dir, DatasetOptions.defaults().withResolution(16));
        assertEquals(3, d.size());
        assertEquals(List.of(
                "dangling.png (a symbolic link to nothing readable: dangling or looping)",
                "loop.png (a symbolic link to nothing readable: dangling or looping)",
                "notes.txt (not a .png file)",
                "photo.jpg (a jpg image: the kit reads PNG only; convert it)",
                "x.png (a folder or special file, not a PNG file)"), d.ignored());
    }
}
