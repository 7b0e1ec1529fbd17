package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.cli.Main;
import org.spadeanime.io.Png;

/** The {@code synth} command of the CLI writes a data set the loader opens. */
class SynthCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesTripletsThatOpenAsADataSet() throws IOException {
        Path out = dir.resolve("synthetic");
        assertEquals(0, Main.run("synth", "--count", "5", "--size", "32", "--out", out.toString(), "--seed", "4", "--threads", "2"));
        AnimeDataset data = AnimeDataset.open(out, DatasetOptions.defaults().withResolution(32));
        assertEquals(DataFormat.TRIPLETS, data.format());
        assertEquals(5, data.size());
        assertEquals("anime-000004", data.name(4));
        BufferedImage t = Png.read(out.resolve("anime-000002.png"));
        assertEquals(96, t.getWidth());
        assertArrayEquals(Imaging.writeImageToBytes(new SyntheticAnime(32).render(4, 2).triplet(), ImageFormats.PNG),
                Files.readAllBytes(out.resolve("anime-000002.png")), "file i is sample i of the seed");
    }

    @Test
    void gridPreviewAndBadOptions() throws IOException {
        Path grid = dir.resolve("grid.png");
        assertEquals(0, Main.run("synth", "--count", "6", "--size", "16", "--grid", grid.toString(), "--columns", "3"));
        BufferedImage g = Png.read(grid);
        assertEquals(3 * 2 * 16, g.getWidth());
        assertEquals(2 * 16, g.getHeight());
        assertNotEquals(0, Main.run("synth", "--count", "0", "--out", dir.resolve("x").toString()));
        assertNotEquals(0, Main.run("synth", "--size", "8", "--out", dir.resolve("x").toString()));
    }
}
