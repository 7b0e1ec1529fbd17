package org.spadeanime.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads float32 tensors from a safetensors file (huggingface's format: an 8-byte little-endian
 * header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {..}}, then
 * raw little-endian data), keeping the metadata, which DJL's own decoder drops. Every malformed
 * file is an {@link IOException} naming it.
 */
public final class SafeTensors {

    private static final long MAX_HEADER = 100L << 20;

    /**
     * A file's tensors in header order, and its string metadata.
     *
     * @param metadata the "__metadata__" entries (empty when absent)
     * @param tensors float32 arrays created by the manager passed to {@link #read}
     */
    public record Contents(Map<String, String> metadata, Map<String, NDArray> tensors) {}

    private SafeTensors() {}

    /** Reads every tensor of {@code file} (F32 only) into {@code manager}. */
    public static Contents read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (expected a .safetensors file)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLength
                        + ", file size " + size + ")");
            }
            ByteBuffer head = ByteBuffer.allocate((int) headerLength);
            readFully(ch, head, 8, file);
            JsonObject header;
            try {
                header = JsonParser.parseString(new String(head.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw new IOException(file + ": not a safetensors file (header is not a JSON object)", e);
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                    if (e.getKey().equals("__metadata__")) {
                        e.getValue().getAsJsonObject().entrySet()
                                .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                        continue;
                    }
                    tensors.put(e.getKey(), tensor(ch, file, e.getKey(), e.getValue().getAsJsonObject(),
                            dataStart, dataSize, manager));
                }
            } catch (IOException | RuntimeException e) {
                tensors.values().forEach(NDArray::close);
                throw e instanceof IOException io ? io : new IOException(file + ": malformed header: " + e.getMessage(), e);
            }
            return new Contents(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors));
        }
    }

    private static NDArray tensor(FileChannel ch, Path file, String name, JsonObject info, long dataStart,
            long dataSize, NDManager manager) throws IOException {
        String dtype = info.get("dtype").getAsString();
        if (!dtype.equals("F32")) {
            throw new IOException(file + ": tensor '" + name + "' has dtype " + dtype + "; expected F32");
        }
        long[] dims = new long[info.getAsJsonArray("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = info.getAsJsonArray("shape").get(i).getAsLong();
        }
        Shape shape = new Shape(dims);
        long begin = info.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = info.getAsJsonArray("data_offsets").get(1).getAsLong();
        if (begin < 0 || end > dataSize || end - begin != shape.size() * 4 || end - begin > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor '" + name + "' of shape " + shape + " has data offsets ["
                    + begin + ", " + end + ") outside the " + dataSize + " data bytes, or of the wrong length"
                    + " (truncated file?)");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) (end - begin));
        readFully(ch, bytes, dataStart + begin, file);
        bytes.flip();
        return manager.create(bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), shape, DataType.FLOAT32);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException(file + ": truncated (ends at byte " + pos + ")");
            }
            pos += n;
        }
    }
}
