package org.spadeanime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Every file the kit writes goes through here: the bytes go to a temporary file in the same folder,
 * are forced to disk, and the temporary file is renamed over the target. A reader (or a run killed
 * with kill -9) therefore sees either the old file or the complete new one, never half of one.
 */
public final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Fills a folder with files. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path folder) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code target} atomically; parent folders are created. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            readableByAll(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Temporary files are created owner-only (rw-------); the written file should have the usual
     * rw-r--r-- of a data file, so other users and containers can read a data set or checkpoint.
     */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes UTF-8 text atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes the folder {@code target} atomically: {@code writer} fills a hidden temporary sibling
     * folder, every file in it and the folder itself are forced to disk, and the folder is renamed
     * to {@code target} (the parent is forced too). An existing {@code target} is replaced (moved
     * aside first, deleted after). A crash leaves either no {@code target} or a complete one, plus
     * at most a hidden {@code .name…tmp} folder that {@link #deleteLeftovers} removes.
     */
    public static void writeFolder(Path target, FolderWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, "." + abs.getFileName() + "-");
        Path tmpName = tmp.resolveSibling(tmp.getFileName() + ".tmp");
        Files.move(tmp, tmpName);
        tmp = tmpName;
        try {
            writer.write(tmp);
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
            }
            forceFolder(tmp);
            Path old = null;
            if (Files.exists(abs)) {
                old = dir.resolve("." + abs.getFileName() + "-old-" + System.nanoTime() + ".tmp");
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(dir);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** Forces a folder's entries (renames, new files) to disk; a no-op where the OS refuses. */
    public static void forceFolder(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder as a channel; the rename itself is atomic.
        }
    }

    /**
     * Deletes what interrupted atomic writes leave in {@code dir}: hidden entries ending in
     * {@code .tmp} (files and folders). Returns how many were removed.
     */
    public static int deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    deleteTree(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Deletes a file or a folder with everything in it (no error if it is gone). */
    public static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.list(p)) {
                for (Path c : (Iterable<Path>) entries::iterator) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
