package org.spadeanime.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a checkpoint or weights folder: the size and SHA-256 of every file the
 * kit wrote there (its own description, such as state.json, included) and the architecture that
 * made them. Readers {@link #verify} it before trusting anything in the folder, so a damaged,
 * swapped or edited file is refused by name. It guards against accidents, not against someone who
 * rewrites the manifest too.
 */
public final class Manifest {

    public static final String FILE = "manifest.json";
    private static final String FORMAT = "spade-anime-manifest/1";

    private Manifest() {}

    /** Writes {@code folder}/manifest.json covering {@code files} (names inside the folder). */
    public static void write(Path folder, List<String> files, JsonElement architecture) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.add("architecture", architecture);
        JsonObject entries = new JsonObject();
        for (String f : files) {
            Path p = folder.resolve(f);
            JsonObject e = new JsonObject();
            e.addProperty("bytes", Files.size(p));
            e.addProperty("sha256", sha256(p));
            entries.add(f, e);
        }
        json.add("files", entries);
        AtomicFiles.writeString(folder.resolve(FILE),
                new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
    }

    /**
     * Checks every file the manifest lists (present, same size, same SHA-256) and returns the
     * recorded architecture; null when the folder has no manifest (written before the kit made
     * them). Every problem is a {@link BadInputException} naming the file.
     */
    public static JsonElement verify(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!FORMAT.equals(json.get("format").getAsString())) {
                throw new BadInputException(file, "format " + json.get("format") + " is not supported (expected "
                        + FORMAT + ")");
            }
        } catch (RuntimeException e) {
            throw new BadInputException(file, "unreadable manifest: " + e.getMessage(), e);
        }
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("files").entrySet()) {
            Path p = folder.resolve(e.getKey());
            if (!Files.isRegularFile(p)) {
                throw new BadInputException(p, "missing (" + FILE + " lists it)");
            }
            JsonObject rec = e.getValue().getAsJsonObject();
            if (Files.size(p) != rec.get("bytes").getAsLong() || !sha256(p).equals(rec.get("sha256").getAsString())) {
                throw new BadInputException(p, "damaged, replaced or edited: its size or SHA-256 differs from " + file);
            }
        }
        return json.get("architecture");
    }

    /** The SHA-256 of a file, as 64 hex digits. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A SHA-256 digest (every JDK has one). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
