package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.AtomicFiles;

/** The atomic folder writes checkpoints rely on ({@link AtomicFiles#writeFolder}). */
class CheckpointFolderTest {

    @Test
    void aFailedWriteLeavesNeitherTheFolderNorATemporaryOne(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("step-00000010");
        assertThrows(IOException.class, () -> AtomicFiles.writeFolder(target, tmp -> {
            Files.writeString(tmp.resolve("a.bin"), "half");
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void anExistingFolderIsReplacedWhole(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("step-00000010");
        AtomicFiles.writeFolder(target, tmp -> {
            Files.writeString(tmp.resolve("old.txt"), "old");
            Files.writeString(tmp.resolve("same.txt"), "1");
        });
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("same.txt"), "2"));
        try (var files = Files.list(target)) {
            assertEquals(List.of("same.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("2", Files.readString(target.resolve("same.txt")));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList(), "no moved-aside copy remains");
        }
        Files.createDirectories(dir.resolve(".step-00000020-123.tmp"));
        Files.writeString(dir.resolve(".metrics.csv456.tmp"), "x");
        assertEquals(2, AtomicFiles.deleteLeftovers(dir));
    }
}
