package org.spadeanime.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spadeanime.Finite;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.Manifest;
import org.spadeanime.io.NonFiniteStateException;

/**
 * Checkpoints of a {@link SpadeGenerator} or {@link PatchDiscriminator}: one file, written
 * atomically, holding
 *
 * <pre>
 *   "SPADE-ANIME-CKPT", format version, network kind, options JSON,
 *   manifest (every parameter's dotted path and shape), DJL's saveParameters stream,
 *   SHA-256 of everything before it (format 2)
 * </pre>
 *
 * Only finite state is saved, and loading verifies the SHA-256 first (a bare .ckpt with flipped
 * bytes is refused, not drawn with) and refuses a NaN or an infinity after loading. Format 1 files
 * (no digest; the kit's checkpoint folders cover them with CRC-32s and a manifest) are still read.
 *
 * DJL's loader does not check shapes, so loading first compares the manifest with the target
 * network and refuses a mismatch, naming the first differing parameter and both shapes (and the
 * options that differ). Spectral-norm u, v and batch-norm running statistics are parameters, so
 * they are saved and restored too.
 */
public final class ModelCheckpoint {

    private static final byte[] MAGIC = "SPADE-ANIME-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 2;
    private static final int DIGEST_BYTES = 32;

    /** What the file header says. */
    record Header(int format, String kind, ModelOptions options, Map<String, Shape> manifest) {}

    private ModelCheckpoint() {}

    /** Saves an initialised network with its options. */
    public static void save(Path file, SpadeNetwork net) throws IOException {
        Map<String, Parameter> params = ModelSummary.parameters(net);
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("cannot save " + file + ": parameter " + p.getKey()
                        + " is not initialised (call initialize(manager) first)");
            }
        }
        checkFinite(file, params, true);
        AtomicFiles.write(file, raw -> {
            MessageDigest digest = Manifest.digest();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(raw, digest)));
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(net.getClass().getSimpleName());
            writeString(out, net.options().toJson());
            out.writeInt(params.size());
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                out.writeUTF(p.getKey());
                long[] dims = p.getValue().getArray().getShape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
            }
            net.saveParameters(out);
            out.flush();
            raw.write(digest.digest()); // past the digest stream: covers every byte before it
            raw.flush();
        });
    }

    /** What a checkpoint holds: the network kind ("SpadeGenerator", "PatchDiscriminator") and its options. */
    public record Contents(String kind, ModelOptions options) {}

    /** The kind and options stored in a checkpoint (one read of its header). */
    public static Contents readContents(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            Header h = readHeader(file, in);
            return new Contents(h.kind(), h.options());
        }
    }

    /** The options stored in a checkpoint. */
    public static ModelOptions readOptions(Path file) throws IOException {
        return readContents(file).options();
    }

    /** The kind of network stored in a checkpoint: "SpadeGenerator" or "PatchDiscriminator". */
    public static String readKind(Path file) throws IOException {
        return readContents(file).kind();
    }

    /** Loads whichever network a checkpoint holds (a {@link SpadeGenerator}, {@link PatchDiscriminator} or {@link Segmenter}). */
    public static SpadeNetwork load(Path file, NDManager manager) throws IOException {
        String kind = readKind(file);
        return switch (kind) {
            case "SpadeGenerator" -> SpadeGenerator.load(file, manager);
            case "PatchDiscriminator" -> PatchDiscriminator.load(file, manager);
            case "Segmenter" -> Segmenter.load(file, manager);
            default -> throw new IOException(file + ": unknown network kind '" + kind + "'");
        };
    }

    /**
     * Checks a format-2 file's SHA-256 against its content (a {@link BadInputException} naming the
     * file when they differ); returns false for a format-1 file, which has none.
     */
    public static boolean verifyDigest(Path file) throws IOException {
        int format;
        try (DataInputStream in = open(file)) {
            format = readHeader(file, in).format();
        }
        if (format < 2) {
            return false;
        }
        long size = Files.size(file);
        if (size < DIGEST_BYTES) {
            throw new BadInputException(file, "truncated checkpoint (no room for its SHA-256)");
        }
        MessageDigest d = Manifest.digest();
        byte[] stored;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] buf = new byte[1 << 16];
            long left = size - DIGEST_BYTES;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new BadInputException(file, "truncated while reading");
                }
                d.update(buf, 0, n);
                left -= n;
            }
            stored = in.readNBytes(DIGEST_BYTES);
        }
        if (!MessageDigest.isEqual(stored, d.digest())) {
            throw new BadInputException(file, "damaged: its content does not match the SHA-256 it was saved with");
        }
        return true;
    }

    /** Loads a checkpoint into an initialised network of the same kind and architecture. */
    public static void loadInto(Path file, SpadeNetwork net) throws IOException {
        verifyDigest(file);
        Map<String, Parameter> params = ModelSummary.parameters(net);
        if (!net.isInitialized()) {
            throw new IllegalStateException("cannot load " + file + " into an uninitialised "
                    + net.getClass().getSimpleName() + ": call initialize(manager) first");
        }
        try (DataInputStream in = open(file)) {
            Header h = readHeader(file, in);
            String kind = net.getClass().getSimpleName();
            if (!h.kind().equals(kind)) {
                throw new IllegalArgumentException(file + " holds a " + h.kind() + ", not a " + kind);
            }
            checkManifest(file, h, params, net.options());
            // DJL's Parameter.load swaps in new arrays: keep the old ones to free, and re-enable
            // gradients (the loaded arrays come without).
            List<NDArray> old = new ArrayList<>();
            NDManager manager = null;
            for (Parameter p : params.values()) {
                old.add(p.getArray());
                manager = p.getArray().getManager();
            }
            try {
                net.loadParameters(manager, in);
            } catch (MalformedModelException | EOFException e) {
                throw new IOException(file + ": damaged parameter data: " + e.getMessage(), e);
            }
            for (Parameter p : params.values()) {
                if (p.requiresGradient()) { // trained and not frozen
                    p.getArray().setRequiresGradient(true);
                }
            }
            old.forEach(NDArray::close);
        }
        checkFinite(file, ModelSummary.parameters(net), false);
    }

    /** Every parameter and buffer (BN statistics, SN vectors) finite, else {@link NonFiniteStateException}. */
    private static void checkFinite(Path file, Map<String, Parameter> params, boolean writing)
            throws NonFiniteStateException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        params.forEach((name, p) -> arrays.put(name, p.getArray()));
        String bad = Finite.firstNonFinite(arrays);
        if (bad != null) {
            throw new NonFiniteStateException(file, "parameter " + bad, writing);
        }
    }

    private static void checkManifest(Path file, Header h, Map<String, Parameter> params,
            ModelOptions options) {
        List<String> fileNames = new ArrayList<>(h.manifest().keySet());
        List<String> netNames = new ArrayList<>(params.keySet());
        String hint = optionsDiff(h.options(), options);
        for (int i = 0; i < Math.max(fileNames.size(), netNames.size()); i++) {
            String fn = i < fileNames.size() ? fileNames.get(i) : null;
            String nn = i < netNames.size() ? netNames.get(i) : null;
            if (fn == null || !fn.equals(nn)) {
                throw new IllegalArgumentException(file + ": architecture mismatch at parameter #"
                        + (i + 1) + ": the checkpoint has " + describe(fn, h.manifest().get(fn))
                        + ", this model has " + describe(nn, nn == null ? null : shape(params.get(nn)))
                        + hint);
            }
            Shape fs = h.manifest().get(fn);
            Shape ns = shape(params.get(nn));
            if (!fs.equals(ns)) {
                throw new IllegalArgumentException(file + ": parameter " + fn + " has shape " + fs
                        + " in the checkpoint but " + ns + " in this model" + hint);
            }
        }
    }

    private static Shape shape(Parameter p) {
        return p.getArray().getShape();
    }

    private static String describe(String name, Shape shape) {
        return name == null ? "no more parameters" : name + " " + shape;
    }

    /** "; options differ: ngf 16 (checkpoint) vs 8 (model)" or "". */
    private static String optionsDiff(ModelOptions file, ModelOptions net) {
        var a = file.toJsonTree();
        var b = net.toJsonTree();
        List<String> diffs = new ArrayList<>();
        for (String k : a.keySet()) {
            if (!a.get(k).equals(b.get(k))) {
                diffs.add(k + " " + a.get(k) + " (checkpoint) vs " + b.get(k) + " (model)");
            }
        }
        return diffs.isEmpty() ? "" : "; options differ: " + String.join(", ", diffs);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(raw));
    }

    private static Header readHeader(Path file, DataInputStream in) throws IOException {
        try {
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new IOException(file + " is not a spade-anime model checkpoint (bad magic)");
            }
            int format = in.readInt();
            if (format != 1 && format != FORMAT) {
                throw new IOException(file + ": checkpoint format " + format
                        + " is not supported (expected " + FORMAT + ")");
            }
            String kind = in.readUTF();
            ModelOptions options;
            try {
                options = ModelOptions.fromJson(readString(in));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            int n = in.readInt();
            Map<String, Shape> manifest = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long[] dims = new long[in.readInt()];
                for (int d = 0; d < dims.length; d++) {
                    dims[d] = in.readLong();
                }
                manifest.put(name, new Shape(dims));
            }
            return new Header(format, kind, options, manifest);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated checkpoint header", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > (1 << 20)) {
            throw new IOException("implausible options length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
