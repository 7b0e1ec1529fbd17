package org.spadeanime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.data.SyntheticRecipe;

/** Shipped weights on a fresh clone: evaluate makes the missing synthetic set from the weights' recipe. */
class ShippedWeightsDataTest {

    @TempDir
    Path tmp;

    @Test
    void evaluateMakesTheMissingSyntheticSetFromTheRecipeOrNamesTheCommand() throws IOException {
        Path data = tmp.resolve("synthetic-64");
        new SyntheticAnime(64).write(data, 0, 12, 5, 2, n -> { });
        byte[] first = Files.readAllBytes(data.resolve(SyntheticAnime.fileName(3)));
        Path run = tmp.resolve("run");
        TrainCliTest.Result t = TrainCliTest.run("train", "--preset", "tiny", "--data", data.toString(), "--run",
                run.toString(), "--steps", "1", "--batch", "2", "--threads", "1", "--set", "tileEvery=0",
                "--set", "perceptualCoef=0");
        assertEquals(0, t.code(), t.err());
        Path weights = tmp.resolve("weights");
        assertEquals(0, TrainCliTest.run("export", "--from", run.toString(), "--out", weights.toString()).code());
        delete(data); // a fresh clone: the weights, not their data

        TrainCliTest.Result missing = TrainCliTest.run("evaluate", "--from", weights.toString());
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("pass --data DIR") && missing.err().contains("synth --size 64 --out " + data),
                missing.err());

        Files.writeString(weights.resolve(SyntheticRecipe.FILE), "{\"count\": 12, \"size\": 64, \"seed\": 5}");
        TrainCliTest.Result made = TrainCliTest.run("evaluate", "--from", weights.toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(made.err().contains("making the synthetic data these weights trained on")
                && made.err().contains("synth --count 12 --size 64 --seed 5 --out " + data), made.err());
        assertTrue(made.out().contains("validation split of " + data), made.out());
        assertTrue(made.err().matches("(?s).*evaluating: (\\d+)/\\1 images, \\d+ s, ETA 0 s.*"), "progress: " + made.err());
        assertArrayEquals(first, Files.readAllBytes(data.resolve(SyntheticAnime.fileName(3))), "the same set again");

        TrainCliTest.Result again = TrainCliTest.run("evaluate", "--from", weights.toString());
        assertEquals(0, again.code(), again.err());
        assertFalse(again.err().contains("making the synthetic data"), "made once: " + again.err());

        Files.writeString(weights.resolve(SyntheticRecipe.FILE), "{\"count\": 0}");
        delete(data);
        TrainCliTest.Result bad = TrainCliTest.run("evaluate", "--from", weights.toString());
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains(SyntheticRecipe.FILE), bad.err());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
