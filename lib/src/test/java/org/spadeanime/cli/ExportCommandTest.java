package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.train.TrainedGenerator;

/** export: a run's generator as a weights folder that predict and {@link TrainedGenerator#read} accept. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void exportWritesAWeightsFolderThatPredictUses() throws IOException {
        Path data = tmp.resolve("synthetic");
        new SyntheticAnime(64).write(data, 0, 12, 5, 2, n -> { });
        Path run = tmp.resolve("run");
        TrainCliTest.Result t = TrainCliTest.run("train", "--preset", "tiny", "--data", data.toString(), "--run",
                run.toString(), "--steps", "2", "--batch", "2", "--threads", "1", "--set", "tileEvery=0",
                "--set", "perceptualCoef=0");
        assertEquals(0, t.code(), t.err());
        Path weights = tmp.resolve("weights").resolve("tiny");
        TrainCliTest.Result e = TrainCliTest.run("export", "--from", run.toString(), "--out", weights.toString(),
                "--base", tmp.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("generator of step 2"), e.out());
        TrainedGenerator g = TrainedGenerator.read(weights);
        assertEquals(Path.of("synthetic"), g.options().data());
        Path label = tmp.resolve("label.png");
        org.spadeanime.io.Png.write(new SyntheticAnime(64).render(9, 0).label(), label);
        TrainCliTest.Result p = TrainCliTest.run("predict", "--from", weights.resolve(TrainedGenerator.GENERATOR).toString(),
                "--out", tmp.resolve("out").toString(), label.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("label.png")));
        TrainCliTest.Result bad = TrainCliTest.run("export", "--from", tmp.resolve("nothing").toString(), "--out",
                weights.toString());
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("nothing"), bad.err());
    }
}
