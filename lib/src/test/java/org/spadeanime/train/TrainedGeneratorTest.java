package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.model.SpadeGenerator;

/** The weights-folder convention: export from a run, read back, find with a run as fallback, damage. */
class TrainedGeneratorTest {

    @TempDir
    static Path tmp;

    static Path run;
    static List<float[]> trainedValues;
    static List<float[]> rawValues;

    @BeforeAll
    static void train() throws IOException {
        Path data = TestRuns.synthetic(tmp.resolve("data").resolve("synthetic"));
        run = tmp.resolve("run");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(2);
            trainedValues = TrainerTest.values(r.trainer().drawingGenerator());
            rawValues = TrainerTest.values(r.trainer().generator());
        }
    }

    @Test
    void anExportedGeneratorReadsBackWithItsRunsOptionsAndDataRelativeToTheBase() throws IOException {
        Path weights = TrainedGenerator.folder(tmp.resolve("weights"), "Tiny");
        assertEquals(tmp.resolve("weights").resolve("tiny"), weights);
        TrainedGenerator exported = TrainedGenerator.export(run, weights, tmp);
        assertEquals(2, exported.step());
        assertEquals(Path.of("data", "synthetic"), exported.options().data(), "recorded relative to the base");
        assertEquals(tmp.resolve("data").resolve("synthetic"), exported.data(tmp));
        assertTrue(exported.trainedSeconds() > 0);
        TrainedGenerator read = TrainedGenerator.read(weights);
        assertEquals(read.generatorFile(), exported.generatorFile());
        assertEquals(read.options(), exported.options());
        assertEquals(read.step(), exported.step());
        assertTrue(read.averaged(), "the moving average is what export ships by default");
        assertTrue(read.toString().startsWith("averaged generator"), read.toString());
        assertTrue(exported.toString().contains("from checkpoint of step 2 at "), "names its source: " + exported);
        assertEquals(TestRuns.quick(tmp).model(), read.options().model());
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator g = read.load(m);
            List<float[]> values = TrainerTest.values(g);
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(trainedValues.get(i), values.get(i), "parameter/buffer " + i);
            }
        }
        assertEquals(read, TrainedGenerator.find(weights, run), "shipped weights come first");
    }

    @Test
    void theRawGeneratorIsExportedOrLocatedOnRequestAndAnAveragedWeightsFolderSaysWhereItIs() throws IOException {
        Path weights = tmp.resolve("weights-raw");
        TrainedGenerator exported = TrainedGenerator.export(run, weights, tmp, null, true);
        assertFalse(exported.averaged());
        assertFalse(TrainedGenerator.read(weights).averaged());
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> values = TrainerTest.values(TrainedGenerator.read(weights).load(m));
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(rawValues.get(i), values.get(i), "raw parameter/buffer " + i);
            }
        }
        assertTrue(rawValues.size() == trainedValues.size() && !java.util.Arrays.equals(rawValues.get(0), trainedValues.get(0)),
                "after 2 iterations the average differs from the raw generator");
        TrainedGenerator raw = TrainedGenerator.locate(run, new ArrayList<>(), true);
        assertEquals(new RunFolder(run).checkpoint(2).resolve(TrainingCheckpoint.GENERATOR), raw.generatorFile());
        assertFalse(raw.averaged());
        Path averaged = tmp.resolve("weights-averaged");
        TrainedGenerator.export(run, averaged, tmp);
        BadInputException e = assertThrows(BadInputException.class,
                () -> TrainedGenerator.locate(averaged, new ArrayList<>(), true));
        assertTrue(e.getMessage().contains("moving average only") && e.getMessage().contains("export --raw"), e.getMessage());
    }

    @Test
    void anExportCanRecordWhereTheSameDataIsFoundInstead() throws IOException {
        Path weights = tmp.resolve("weights-elsewhere");
        TrainedGenerator exported = TrainedGenerator.export(run, weights, tmp, tmp.resolve("data").resolve("regenerated"), false);
        assertEquals(Path.of("data", "regenerated"), exported.options().data(), "the given folder, relative to the base");
        assertEquals(exported.options(), TrainedGenerator.read(weights).options());
        TrainedGenerator plain = TrainedGenerator.export(run, tmp.resolve("weights-plain"), tmp);
        assertEquals(plain.options().withData(Path.of("data", "regenerated")), exported.options(), "nothing else changes");
    }

    @Test
    void withoutWeightsTheRunsNewestCheckpointIsUsedAndWithNeitherTheErrorNamesBoth() throws IOException {
        Path none = tmp.resolve("no-weights");
        TrainedGenerator fromRun = TrainedGenerator.find(none, run);
        assertEquals(2, fromRun.step());
        assertEquals(new RunFolder(run).checkpoint(2).resolve(TrainingCheckpoint.GENERATOR_EMA), fromRun.generatorFile());
        assertTrue(fromRun.averaged());
        BadInputException e = assertThrows(BadInputException.class, () -> TrainedGenerator.find(none, tmp.resolve("no-run")));
        assertTrue(e.getMessage().contains("no-weights") && e.getMessage().contains("no-run"), e.getMessage());
    }

    @Test
    void aDamagedGeneratorOrAMismatchedDescriptionIsRefused() throws IOException {
        Path weights = tmp.resolve("damaged");
        TrainedGenerator.export(run, weights, tmp);
        Path description = weights.resolve(TrainedGenerator.DESCRIPTION);
        String json = Files.readString(description, StandardCharsets.UTF_8);
        Files.writeString(description, json.replace("\"ngf\": 8", "\"ngf\": 16"), StandardCharsets.UTF_8);
        BadInputException e = assertThrows(BadInputException.class, () -> TrainedGenerator.read(weights));
        assertTrue(e.getMessage().contains("weights.json: damaged, replaced or edited"), e.getMessage());
        // without the manifest (a folder exported before manifests), the generator's own options still tell
        byte[] manifest = Files.readAllBytes(weights.resolve(Manifest.FILE));
        Files.delete(weights.resolve(Manifest.FILE));
        e = assertThrows(BadInputException.class, () -> TrainedGenerator.read(weights));
        assertTrue(e.getMessage().contains("describes"), e.getMessage());
        Files.write(weights.resolve(Manifest.FILE), manifest);
        Files.writeString(description, json, StandardCharsets.UTF_8);
        TrainedGenerator.read(weights);
        Files.write(weights.resolve(TrainedGenerator.GENERATOR), new byte[] {1}, StandardOpenOption.APPEND);
        e = assertThrows(BadInputException.class, () -> TrainedGenerator.read(weights));
        assertTrue(e.getMessage().contains("generator.ckpt: damaged, replaced or edited"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> TrainedGenerator.read(tmp.resolve("data")));
        assertTrue(e.getMessage().contains("not a weights folder"), e.getMessage());
    }
}
