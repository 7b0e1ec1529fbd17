package org.spadeanime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed writes name their target and say what is intact; a kill between two renames loses nothing. */
class SafeWritesTest {

    @TempDir
    Path dir;

    /** What the OS says when the disk is full, naming only its own temporary file. */
    private static IOException diskFull(Path tmp) {
        return new FileSystemException(tmp.toString(), null, "No space left on device");
    }

    /** A Stop in a notebook interrupts the training thread; an interrupt closes a thread's file channels. */
    @Test
    void anInterruptedThreadStillWritesWholeFilesAndFoldersAndKeepsItsInterrupt() throws IOException {
        byte[] bytes = new byte[1 << 20];
        new java.util.Random(3).nextBytes(bytes);
        Path file = dir.resolve("interrupted/file.bin");
        Path folder = dir.resolve("interrupted/folder");
        try {
            Thread.currentThread().interrupt();
            AtomicFiles.write(file, bytes);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is pending again after the write");
            AtomicFiles.writeFolder(folder, f -> {
                AtomicFiles.write(f.resolve("a.bin"), bytes);
                Thread.currentThread().interrupt(); // arrives inside the folder's write
                AtomicFiles.writeString(f.resolve("b.txt"), "b");
            });
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)));
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(folder.resolve("a.bin"))));
        assertEquals("b", Files.readString(folder.resolve("b.txt")));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder)), "a written folder is readable by all, like its files");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
        try (var left = Files.list(dir.resolve("interrupted"))) {
            assertEquals(2, left.count(), "no temporary files or folders are left");
        }
    }

    /** Other failures are not retried: only a channel an interrupt closed is. */
    @Test
    void uninterruptiblyRunsOnceAndPassesOtherFailuresOn() {
        int[] calls = {0};
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.uninterruptibly(() -> {
            calls[0]++;
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        assertEquals(1, calls[0]);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aFullDiskNamesTheTargetAndSaysThePreviousFolderIsIntact() throws IOException {
        Path target = dir.resolve("step-00000004");
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("state.json"), "old"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeFolder(target, tmp -> {
            Files.writeString(tmp.resolve("generator.ckpt"), "half");
            throw diskFull(tmp.resolve("generator.ckpt"));
        }));
        assertEquals("cannot write " + target + " (No space left on device); nothing was replaced: the previous "
                + "folder is intact", e.getMessage());
        assertEquals("old", Files.readString(target.resolve("state.json")));
        assertEquals(0, AtomicFiles.deleteLeftovers(dir), "no temporary folder left");
        // a file inside the folder's temporary copy is reported as the folder, not as a hidden .tmp path
        e = assertThrows(IOException.class, () -> AtomicFiles.writeFolder(target,
                tmp -> AtomicFiles.write(tmp.resolve("generator.ckpt"), out -> {
                    throw diskFull(tmp.resolve(".generator.ckpt123.tmp"));
                })));
        assertTrue(e.getMessage().startsWith("cannot write " + target + " (No space left on device)"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void aFolderWhereAFileGoesAndAFileWhereAFolderGoesAreNamed() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("scores.csv"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(folder, "a,b\n"));
        assertEquals(folder + " is a folder; expected the path of a file to write", e.getMessage());
        Path file = Files.writeString(dir.resolve("runs"), "not a folder");
        e = assertThrows(IOException.class, () -> AtomicFiles.writeString(file.resolve("r1").resolve("options.json"), "{}"));
        assertEquals("cannot write " + file.resolve("r1").resolve("options.json") + ": " + file
                + " exists and is not a folder", e.getMessage());
        e = assertThrows(IOException.class, () -> AtomicFiles.createFolders(file.resolve("r1")));
        assertEquals("cannot write " + file.resolve("r1") + ": " + file + " exists and is not a folder", e.getMessage());
        e = assertThrows(IOException.class, () -> AtomicFiles.writeFolder(file, tmp -> { }));
        assertEquals("cannot write the folder " + file + ": a file of that name exists", e.getMessage());
    }

    @Test
    void aKillBetweenMovingTheOldFolderAsideAndRenamingTheNewOneLosesNothing() throws IOException {
        Path target = dir.resolve("tiny");
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("weights.json"), "shipped"));
        // the state writeFolder leaves if killed right after its first rename
        Files.move(target, dir.resolve(".tiny-old-12345.tmp"));
        Files.createDirectories(dir.resolve(".tiny-67890.tmp"));
        assertEquals(2, AtomicFiles.deleteLeftovers(dir));
        assertEquals("shipped", Files.readString(target.resolve("weights.json")), "the old folder is back");
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count());
        }
    }
}
