package org.spadeanime.data;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.RecordJson;

/**
 * How a synthetic data set was made ({@code synth --count --size --seed}), kept as
 * {@value #FILE} beside shipped weights, so that the deterministic set they trained on can be made
 * again on demand from a fresh clone.
 */
public record SyntheticRecipe(int count, int size, long seed) {

    public static final String FILE = "synthetic.json";

    /** The recipe in {@code folder}, or null when it has none. */
    public static SyntheticRecipe in(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject j = RecordJson.parseObject(Files.readString(file), file.toString());
        try {
            SyntheticRecipe r = new SyntheticRecipe(j.get("count").getAsInt(), j.get("size").getAsInt(),
                    j.get("seed").getAsLong());
            if (r.count < 1 || r.size < 16) {
                throw new IllegalArgumentException("count ≥ 1 and size ≥ 16 expected");
            }
            return r;
        } catch (RuntimeException e) {
            throw new BadInputException(file, "expected {\"count\": N, \"size\": PIXELS, \"seed\": S} (" + e + ")");
        }
    }

    /** The one command that makes this set in {@code out}. */
    public String command(Path out) {
        return String.format(Locale.ROOT, "synth --count %d --size %d --seed %d --out %s", count, size, seed, out);
    }

    /** Writes the samples missing from {@code out} (all of them into a new folder). */
    public SyntheticAnime.WriteReport make(Path out, int threads) throws IOException {
        return new SyntheticAnime(size).writeMissing(out, count, seed, threads);
    }
}
