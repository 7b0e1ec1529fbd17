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
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.io.NonFiniteStateException;
import org.spadeanime.model.SpadeGenerator;

/**
 * Mislabelled, swapped, edited and poisoned files are refused by name; export writes its folder
 * as a whole; a stale 'latest' is followed with a note.
 */
class TamperingTest {

    @TempDir
    static Path tmp;

    static Path data;
    static Path run;
    static Path wideRun;

    @BeforeAll
    static void train() throws IOException {
        data = TestRuns.synthetic(tmp.resolve("synthetic"));
        run = tmp.resolve("run");
        try (TrainingRun r = TrainingRun.start(run, TestRuns.quick(data))) {
            r.train(4);
        }
        wideRun = tmp.resolve("wide");
        try (TrainingRun r = TrainingRun.start(wideRun, TestRuns.quick(data).with("model.ngf", 16))) {
            r.train(2);
        }
    }

    /** A copy of the run's newest checkpoint folder to tamper with. */
    private static Path copyOfCheckpoint(String name) throws IOException {
        Path src = new RunFolder(run).checkpoint(4);
        Path dst = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    /** Rewrites state.json's size and CRC-32 of {@code file}, as a careful tamperer would. */
    private static void fixStateCrc(Path checkpoint, String file) throws IOException {
        Path state = checkpoint.resolve(TrainingCheckpoint.STATE);
        String json = Files.readString(state, StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(checkpoint.resolve(file));
        CRC32 crc = new CRC32();
        crc.update(bytes);
        String block = "\"" + file + "\": {\n      \"bytes\": " + bytes.length + ",\n      \"crc32\": \""
                + String.format("%08x", crc.getValue()) + "\"";
        json = json.replaceAll("\"" + java.util.regex.Pattern.quote(file) + "\": \\{\\s*\"bytes\": \\d+,\\s*\"crc32\": \"[0-9a-f]+\"",
                java.util.regex.Matcher.quoteReplacement(block));
        Files.writeString(state, json, StandardCharsets.UTF_8);
    }

    /**
     * Turns a checkpoint folder into one an older kit could have written after a NaN update: a NaN
     * generator weight, no digest, no manifest, state.json's CRC-32 matching.
     */
    private static Path poisonAsALegacyCheckpoint(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(TrainingCheckpoint.GENERATOR);
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator g = SpadeGenerator.load(file, m);
            g.getParameters().valueAt(0).getArray().muli(Float.NaN);
            LegacyCheckpoints.writeUnchecked(file, g);
        }
        Files.delete(checkpoint.resolve(Manifest.FILE));
        Files.delete(checkpoint.resolve(TrainingCheckpoint.GENERATOR_EMA)); // legacy folders predate the average
        fixStateCrc(checkpoint, TrainingCheckpoint.GENERATOR);
        return checkpoint;
    }

    @Test
    void aSwappedGeneratorIsRefusedEvenWithItsCrcFixed() throws IOException {
        Path c = copyOfCheckpoint("swapped");
        Files.copy(new RunFolder(wideRun).checkpoint(2).resolve(TrainingCheckpoint.GENERATOR),
                c.resolve(TrainingCheckpoint.GENERATOR), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        fixStateCrc(c, TrainingCheckpoint.GENERATOR);
        BadInputException e = assertThrows(BadInputException.class, () -> TrainingCheckpoint.read(c));
        assertTrue(e.getMessage().contains("generator.ckpt: damaged, replaced or edited"), e.getMessage());
        // without the manifest too (a folder written before manifests): the architecture check names it
        Files.delete(c.resolve(Manifest.FILE));
        e = assertThrows(BadInputException.class, () -> TrainingCheckpoint.read(c));
        assertTrue(e.getMessage().contains("generator.ckpt: was made by") && e.getMessage().contains("ngf=16"),
                e.getMessage());
    }

    @Test
    void anEditedStateJsonIsRefused() throws IOException {
        Path c = copyOfCheckpoint("edited-state");
        Path state = c.resolve(TrainingCheckpoint.STATE);
        Files.writeString(state, Files.readString(state).replace("\"step\": 4", "\"step\": 40"));
        BadInputException e = assertThrows(BadInputException.class, () -> TrainingCheckpoint.read(c));
        assertTrue(e.getMessage().contains("state.json: damaged, replaced or edited"), e.getMessage());
    }

    @Test
    void aBareCheckpointWithFlippedBytesIsRefusedNotDrawnWith() throws IOException {
        Path file = tmp.resolve("bare.ckpt");
        byte[] bytes = Files.readAllBytes(new RunFolder(run).checkpoint(4).resolve(TrainingCheckpoint.GENERATOR));
        for (int i = 0; i < 64; i++) {
            bytes[bytes.length / 2 + i] ^= (byte) 0xff;
        }
        Files.write(file, bytes);
        try (NDManager m = NDManager.newBaseManager()) {
            BadInputException e = assertThrows(BadInputException.class, () -> SpadeGenerator.load(file, m));
            assertEquals(file + ": damaged: its content does not match the SHA-256 it was saved with", e.getMessage());
        }
    }

    @Test
    void aStaleLatestIsFollowedWithANote() throws IOException {
        Path r = tmp.resolve("stale-latest");
        try (TrainingRun t = TrainingRun.start(r, TestRuns.quick(data))) {
            t.train(4);
        }
        RunFolder f = new RunFolder(r);
        f.setLatest(f.checkpoint(2));
        List<String> notes = new ArrayList<>();
        TrainingCheckpoint c = TrainingCheckpoint.newest(f, notes);
        assertEquals(2, c.step());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("'latest' names step-00000002, older than the newest checkpoint "
                + "step-00000004: resuming from step-00000002"), notes.get(0));
        Files.delete(f.checkpointsDir().resolve("latest"));
        notes.clear();
        assertEquals(4, TrainingCheckpoint.newest(f, notes).step());
        assertTrue(notes.get(0).endsWith("(no valid 'latest' pointer in " + f.checkpointsDir() + ")"), notes.toString());
        assertFalse(notes.get(0).contains("null"), notes.get(0));
    }

    @Test
    void aPoisonedLegacyCheckpointIsSkippedOnResume() throws IOException {
        Path r = tmp.resolve("poisoned-legacy");
        try (TrainingRun t = TrainingRun.start(r, TestRuns.quick(data))) {
            t.train(4);
        }
        poisonAsALegacyCheckpoint(new RunFolder(r).checkpoint(4));
        try (TrainingRun t = TrainingRun.resume(r)) {
            assertEquals(2, t.step(), "resumed from the clean older checkpoint");
            assertEquals(1, t.train(1));
        }
    }

    @Test
    void exportReplacesTheWholeFolderKeepsOtherFilesAndRefusesAPoisonedGenerator() throws IOException {
        Path weights = tmp.resolve("weights").resolve("tiny");
        TrainedGenerator.export(run, weights, tmp);
        Files.writeString(weights.resolve("tile.png"), "a tile notebook 06 drew");
        byte[] before = Files.readAllBytes(weights.resolve(TrainedGenerator.GENERATOR));
        // a poisoned generator (written before the kit checked) is refused, and nothing changes
        Path poisoned = poisonAsALegacyCheckpoint(copyOfCheckpoint("poisoned-export"));
        assertThrows(NonFiniteStateException.class, () -> TrainedGenerator.export(poisoned, weights, tmp));
        assertArrayEquals(before, Files.readAllBytes(weights.resolve(TrainedGenerator.GENERATOR)));
        TrainedGenerator.read(weights);
        // a new export replaces generator, description and manifest together and keeps the tile
        TrainedGenerator g = TrainedGenerator.export(wideRun, weights, tmp);
        assertEquals(16, g.options().model().ngf());
        assertEquals("a tile notebook 06 drew", Files.readString(weights.resolve("tile.png")));
        assertEquals(16, TrainedGenerator.read(weights).options().model().ngf());
        try (var left = Files.list(weights.getParent())) {
            assertEquals(List.of(weights), left.toList(), "no temporary folders left");
        }
    }
}
