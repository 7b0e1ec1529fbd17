package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spadeanime.model.ModelCheckpoint;
import org.spadeanime.model.ModelOptions;

/** The options of the shipped weights load and serialise back to the same JSON (the format is stable). */
class SavedOptionsTest {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "cpu-128"})
    void shippedOptionsRoundTripByteForByte(String preset) throws Exception {
        Path folder = Path.of("..", "weights", preset);
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("weights.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject saved = json.getAsJsonObject("options");
        TrainOptions o = TrainOptions.fromJson(saved.toString());
        // Fields added since the export (skipBad, emaDecay) take their defaults; every saved one reads back as saved.
        JsonObject again = o.toJsonTree();
        for (String field : saved.keySet()) {
            assertEquals(PRETTY.toJson(saved.get(field)), PRETTY.toJson(again.get(field)), field);
        }
        assertEquals(o.toJson(), TrainOptions.fromJson(o.toJson()).toJson(), "a fixed point");
        assertEquals(PRETTY.toJson(again), o.toJson());

        ModelOptions stored = ModelCheckpoint.readOptions(folder.resolve("generator.ckpt"));
        assertEquals(o.model(), stored);
        assertEquals(PRETTY.toJson(saved.getAsJsonObject("model")), PRETTY.toJson(JsonParser.parseString(stored.toJson())));
        assertEquals(stored, ModelOptions.fromJson(stored.toJson()));
    }
}
