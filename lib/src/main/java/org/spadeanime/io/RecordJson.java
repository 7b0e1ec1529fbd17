package org.spadeanime.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.function.UnaryOperator;

/**
 * The JSON form of an options record (ModelOptions, TrainOptions): one JSON field per record
 * component, by name. Each record keeps its own field parser (their rules differ: model options
 * take the original's enum spellings, train options take command-line text), while the reflection
 * lives here once, so that the canonical constructor's validation runs for every parsed object.
 */
public final class RecordJson {

    /** Parses one component's JSON value (JSON null when the field is absent) to its Java value. */
    @FunctionalInterface
    public interface FieldParser {
        Object parse(String name, Class<?> type, JsonElement value);
    }

    private RecordJson() {}

    /** Parses {@code json} to an object; errors start with {@code what} ("train options: ..."). */
    public static JsonObject parseObject(String json, String what) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(what + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(what + ": expected a JSON object, got " + root);
        }
        return root.getAsJsonObject();
    }

    /**
     * {@code base} with the fields of {@code changes} put over it; a field that {@code base} lacks
     * is an error, with the message {@code unknown} makes from its name.
     */
    public static JsonObject merge(JsonObject base, JsonObject changes, UnaryOperator<String> unknown) {
        JsonObject merged = base.deepCopy();
        for (var e : changes.entrySet()) {
            if (!merged.has(e.getKey())) {
                throw new IllegalArgumentException(unknown.apply(e.getKey()));
            }
            merged.add(e.getKey(), e.getValue());
        }
        return merged;
    }

    /**
     * A record of {@code type} from {@code tree}, each component parsed by {@code parser} and the
     * whole passed through the canonical constructor; its IllegalArgumentException surfaces as is.
     */
    public static <R extends Record> R construct(Class<R> type, JsonObject tree, FieldParser parser) {
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            String name = comps[i].getName();
            types[i] = comps[i].getType();
            args[i] = parser.parse(name, types[i], tree.has(name) ? tree.get(name) : JsonNull.INSTANCE);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of one component of {@code r}. */
    public static Object value(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
