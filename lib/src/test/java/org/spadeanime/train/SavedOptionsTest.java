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
    @ValueSource(strings = {"tiny", "cpu-128", "cpu128", "cpu128-l1"})
    void shippedOptionsRoundTripByteForByte(String preset) throws Exception {
        Path folder = Path.of("..", "weights", preset);
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("weights.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject saved = json.getAsJsonObject("options");
        TrainOptions o = TrainOptions.fromJson(saved.toString());
        // Fields added since the export (skipBad, emaDecay, l1Coef, model.generatorPadding) take their defaults;
        // every saved one reads back as saved.
        JsonObject again = o.toJsonTree();
        assertSavedFieldsReadBack("", saved, again);
        boolean recipe = preset.startsWith("cpu128"); // the others predate the L1 term and the padding switch
        assertEquals(recipe ? preset.equals("cpu128") ? 10.0 : 1000.0 : 0.0, o.l1Coef());
        if (recipe) { // the preset of that name is the recipe the weights were trained with (on any thread count)
            TrainOptions named = TrainOptions.preset(preset);
            assertEquals(named, o.with(b -> b.threads(named.threads())));
        }
        assertEquals(recipe ? ModelOptions.Padding.REFLECT : ModelOptions.Padding.ZEROS, o.model().generatorPadding());
        assertEquals(o.toJson(), TrainOptions.fromJson(o.toJson()).toJson(), "a fixed point");
        assertEquals(PRETTY.toJson(again), o.toJson());

        ModelOptions stored = ModelCheckpoint.readOptions(folder.resolve("generator.ckpt"));
        assertEquals(o.model(), stored);
        assertSavedFieldsReadBack("model.", saved.getAsJsonObject("model"), stored.toJsonTree());
        assertEquals(stored, ModelOptions.fromJson(stored.toJson()));
    }

    /** A manifest's architecture is compared as options: a field it predates reads as its default. */
    @org.junit.jupiter.api.Test
    void aManifestWrittenBeforeAnOptionExistedStillMatchesButAnyOtherValueDoesNot() {
        ModelOptions tiny = ModelOptions.tiny();
        JsonObject old = TrainingCheckpoint.architecture(tiny).getAsJsonObject();
        old.getAsJsonObject("model").remove("generatorPadding");
        assertEquals(true, TrainingCheckpoint.recordsArchitecture(old, tiny));
        assertEquals(false, TrainingCheckpoint.recordsArchitecture(old,
                tiny.withGeneratorPadding(ModelOptions.Padding.REFLECT)));
        JsonObject reflect = TrainingCheckpoint.architecture(tiny.withGeneratorPadding(ModelOptions.Padding.REFLECT))
                .getAsJsonObject();
        assertEquals(false, TrainingCheckpoint.recordsArchitecture(reflect, tiny));
        assertEquals(false, TrainingCheckpoint.recordsArchitecture(TrainingCheckpoint.architecture(tiny.withNgf(16)), tiny));
        assertEquals(false, TrainingCheckpoint.recordsArchitecture(JsonParser.parseString("{\"model\": 3}"), tiny));
    }

    private static void assertSavedFieldsReadBack(String prefix, JsonObject saved, JsonObject again) {
        for (String field : saved.keySet()) {
            if (saved.get(field).isJsonObject()) {
                assertSavedFieldsReadBack(prefix + field + ".", saved.getAsJsonObject(field), again.getAsJsonObject(field));
            } else {
                assertEquals(PRETTY.toJson(saved.get(field)), PRETTY.toJson(again.get(field)), prefix + field);
            }
        }
    }
}
