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
 * with kill -9) therefore sees either the old file or the complete new one, never half of one. A
 * write also completes when the thread is interrupted (a notebook's Stop): see {@link #uninterruptibly}.
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

    /** File I/O to run to its end: {@link #uninterruptibly}. */
    @FunctionalInterface
    public interface Io {
        void run() throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Runs {@code io} to its end although the thread is, or gets, interrupted. An interrupt closes
     * every file channel the thread uses, so a Stop that lands during a checkpoint would otherwise
     * break it half-way (and everything written after it). The interrupt is taken for the duration
     * and is pending again afterwards, for the caller's loop to see; an I/O call broken by an
     * interrupt that arrives meanwhile is run again, so {@code io} must be safe to repeat (the atomic
     * writes here are: a broken one leaves nothing behind). Nested calls (a folder's files) leave the
     * interrupt to the outermost one: re-raised inside, it would break the outer write again.
     */
    public static void uninterruptibly(Io io) throws IOException {
        boolean[] outer = INTERRUPT_TAKEN.get();
        if (outer != null) {
            runTakingInterrupts(io, outer);
            return;
        }
        boolean[] taken = {false};
        INTERRUPT_TAKEN.set(taken);
        try {
            runTakingInterrupts(io, taken);
        } finally {
            INTERRUPT_TAKEN.remove();
            if (taken[0]) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Non-null while the thread is inside {@link #uninterruptibly}: whether an interrupt was taken. */
    private static final ThreadLocal<boolean[]> INTERRUPT_TAKEN = new ThreadLocal<>();

    private static void runTakingInterrupts(Io io, boolean[] taken) throws IOException {
        taken[0] |= Thread.interrupted();
        while (true) {
            try {
                io.run();
                return;
            } catch (IOException e) {
                if (!brokenByInterrupt(e)) {
                    throw e;
                }
                taken[0] |= Thread.interrupted();
            }
        }
    }

    private static boolean brokenByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A write that failed: the message names the target and says that what was there before is
     * unchanged (the OS's own message, e.g. "No space left on device", names neither).
     */
    public static final class WriteFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        WriteFailedException(Path target, boolean folder, IOException cause) {
            super("cannot write " + target + " (" + describe(cause) + "); nothing was replaced: "
                    + (Files.exists(target) ? "the previous " + (folder ? "folder" : "file") + " is intact"
                            : "it does not exist"), cause);
        }

        private static String describe(IOException e) {
            String m = e.getMessage();
            return e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : m == null ? e.getClass().getSimpleName() : m;
        }
    }

    /** Writes {@code target} atomically; parent folders are created. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException(target + " is a folder; expected the path of a file to write");
        }
        Path dir = createParent(abs);
        try {
            uninterruptibly(() -> writeFile(abs, dir, writer));
        } catch (IOException e) {
            throw failure(target, false, e);
        }
    }

    /**
     * What a failed write throws: the kit's own refusals (poisoned state, bad input) as they are;
     * anything else as a {@link WriteFailedException} naming {@code target} — also a failure of a
     * file inside a folder being written, which is reported as that folder with its OS reason.
     */
    private static IOException failure(Path target, boolean folder, IOException e) {
        if (e instanceof NonFiniteStateException || e instanceof BadInputException) {
            return e;
        }
        IOException cause = e instanceof WriteFailedException && e.getCause() instanceof IOException io ? io : e;
        return new WriteFailedException(target, folder, cause);
    }

    /** The parent folder of {@code abs}, created if needed; a clear error where a file is in the way. */
    private static Path createParent(Path abs) throws IOException {
        createFolders(abs.getParent(), abs);
        return abs.getParent();
    }

    /**
     * {@code Files.createDirectories} with errors that name the file in the way ("runs exists and
     * is not a folder") instead of the OS's "Not a directory".
     */
    public static void createFolders(Path dir) throws IOException {
        createFolders(dir, dir);
    }

    private static void createFolders(Path dir, Path forWhat) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileSystemException e) {
            for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    if (!Files.isDirectory(p)) {
                        throw new IOException("cannot write " + forWhat + ": " + p + " exists and is not a folder", e);
                    }
                    break;
                }
            }
            throw new WriteFailedException(forWhat, dir.equals(forWhat), e);
        }
    }

    private static void writeFile(Path abs, Path dir, Writer writer) throws IOException {
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
     * Temporary files and folders are created owner-only (rw------- / rwx------); the written one should
     * have the usual rw-r--r-- / rwxr-xr-x, so other users and containers can read a data set, a
     * checkpoint or a weights folder.
     */
    private static void readableByAll(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
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
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException("cannot write the folder " + target + ": a file of that name exists");
        }
        Path dir = createParent(abs);
        try {
            uninterruptibly(() -> writeFolder(abs, dir, writer));
        } catch (IOException e) {
            throw failure(target, true, e);
        }
    }

    private static void writeFolder(Path abs, Path dir, FolderWriter writer) throws IOException {
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
            readableByAll(tmp);
            forceFolder(tmp);
            Path old = null;
            if (Files.exists(abs)) {
                // a crash before the next rename leaves only this: deleteLeftovers moves it back
                old = dir.resolve("." + abs.getFileName() + OLD + System.nanoTime() + ".tmp");
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
                    int old = name.lastIndexOf(OLD);
                    Path replaced = old > 1 ? dir.resolve(name.substring(1, old)) : null;
                    if (replaced != null && !Files.exists(replaced)) {
                        // killed between moving the old folder aside and renaming the new one in
                        Files.move(p, replaced, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        deleteTree(p);
                    }
                    n++;
                }
            }
        }
        return n;
    }

    /** Marks a folder moved aside by {@link #writeFolder} until its replacement is in place. */
    private static final String OLD = "-old-";

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
