package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Png;
import org.spadeanime.segment.TrainedSegmenter;

/** train-segmenter → segment → a data set the kit reads, and evaluate's mIoU, from the command line. */
class SegmentCliTest {

    @TempDir
    Path tmp;

    @Test
    void trainASegmenterLabelYourOwnIllustrationsAndScoreAGeneratorWithIt() throws IOException {
        Path data = tmp.resolve("synthetic");
        new SyntheticAnime(64).write(data, 0, 20, 9, 2, n -> { });
        Path seg = tmp.resolve("segment");
        TrainCliTest.Result trained = TrainCliTest.run("train-segmenter", "--data", data.toString(), "--out",
                seg.toString(), "--iterations", "6", "--batch", "4", "--width", "4", "--valid", "0.2");
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("segmenter 6/6") && trained.out().contains("held-out"), trained.out());
        TrainedSegmenter t = TrainedSegmenter.read(seg);
        assertEquals(1, t.heldOut().size());
        assertEquals(4, t.heldOut().get(0).images());
        assertEquals(64, t.heldOut().get(0).resolution(), "trained at the data's own size");

        // "your own illustrations": plain PNGs of two sizes, no labels
        Path own = Files.createDirectories(tmp.resolve("own"));
        DjlRuntime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            AnimeDataset set = AnimeDataset.open(data, DatasetOptions.defaults().withResolution(64));
            var b = set.all().batch(m, 0, 1);
            Png.write(ImageTensors.toImage(b.target().get(0), -1f, 1f), own.resolve("a.png"));
            var big = new java.awt.image.BufferedImage(96, 96, java.awt.image.BufferedImage.TYPE_INT_RGB);
            big.createGraphics().drawImage(ImageTensors.toImage(b.target().get(1), -1f, 1f), 0, 0, 96, 96, null);
            Png.write(big, own.resolve("b.png"));
        }
        Path rough = tmp.resolve("rough");
        TrainCliTest.Result labelled = TrainCliTest.run("segment", "--from", seg.toString(), own.toString(), "--out",
                rough.toString());
        assertEquals(0, labelled.code(), labelled.err());
        assertTrue(labelled.out().contains("wrote 2 labelled images"), labelled.out());
        AnimeDataset read = AnimeDataset.open(rough, DatasetOptions.defaults().withResolution(64));
        assertEquals(2, read.size());
        assertEquals(96, Png.read(rough.resolve("labels/b.png")).getWidth(), "labels at the image's own size");
        var report = read.validate();
        assertEquals(2, report.samples(), report.toString());
        assertEquals(0, report.unmatched(), 0, "labels in exact palette colours: " + report);

        TrainCliTest.Result missing = TrainCliTest.run("segment", "--from", tmp.resolve("nowhere").toString(),
                own.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not a segmenter folder"), missing.err());
        assertTrue(Files.notExists(tmp.resolve("x")), "nothing half-written");

        TrainCliTest.Result scored = TrainCliTest.run("evaluate", "--from", "../weights/tiny", "--data",
                data.toString(), "--segmenter", seg.toString());
        assertEquals(0, scored.code(), scored.err());
        assertTrue(scored.out().matches("(?s).*mIoU \\d\\.\\d{3} \\(real images: \\d\\.\\d{3}, ratio .*"), scored.out());
    }
}
