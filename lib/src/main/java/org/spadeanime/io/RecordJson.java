package org.spadeanime.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The JSON form of an options record (ModelOptions, TrainOptions): one JSON field per record
 * component, by name. The reflection and the field rules live here once, so the canonical
 * constructor's validation runs for every parsed object and every record reads an int, a boolean
 * or an enum the same way. The one difference is {@link Values}: model options are read as JSON
 * (checkpoints), train options also from command-line text.
 */
public final class RecordJson {

    /** Parses one component's JSON value (JSON null when the field is absent) to its Java value. */
    @FunctionalInterface
    public interface FieldParser {
        Object parse(String name, Class<?> type, JsonElement value);
    }

    /** How strictly field values are read. */
    public enum Values {
        /** Each value must have its JSON type (an int a JSON number); enums are listed as constants. */
        JSON,
        /** Text is read too ("16", "true", "skip", as a command line gives them); enums listed lower case. */
        TEXT
    }

    private RecordJson() {}

    /**
     * One field's value of {@code type} (int, long, double, boolean, String, Path or an enum) from
     * {@code v}; {@code option} starts every error ("train option lrG: expected a number, got …").
     * A Path is null for JSON null or blank text.
     */
    public static Object field(String option, Class<?> type, JsonElement v, Values values) {
        String bad = option + ": expected ";
        if (type == Path.class) {
            if (v.isJsonNull() || (v.isJsonPrimitive() && v.getAsString().isBlank())) {
                return null;
            }
            if (!v.isJsonPrimitive()) {
                throw new IllegalArgumentException(bad + "a path, got " + v);
            }
            return Path.of(v.getAsString());
        }
        String expected = describe(type, values);
        JsonPrimitive p = v.isJsonPrimitive() ? v.getAsJsonPrimitive() : null;
        if (p == null || (values == Values.JSON && !hasJsonType(p, type))) {
            throw new IllegalArgumentException(bad + expected + ", got " + v);
        }
        try {
            if (type == int.class) {
                return new BigDecimal(p.getAsString().trim()).intValueExact();
            }
            if (type == long.class) {
                return new BigDecimal(p.getAsString().trim()).longValueExact();
            }
            if (type == double.class) {
                return Double.parseDouble(p.getAsString().trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(bad + expected + ", got " + v, e);
        }
        if (type == boolean.class) {
            String s = p.getAsString().trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException(bad + expected + ", got " + v);
            }
            return Boolean.parseBoolean(s);
        }
        if (type == String.class) {
            return p.getAsString();
        }
        String s = p.getAsString().trim().toUpperCase(Locale.ROOT);
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException(bad + expected + ", got " + v);
    }

    private static boolean hasJsonType(JsonPrimitive p, Class<?> type) {
        if (type == int.class || type == long.class || type == double.class) {
            return p.isNumber();
        }
        return type == boolean.class ? p.isBoolean() : p.isString();
    }

    /** What a field of {@code type} takes, for errors: "an integer", "one of stop, skip", … */
    public static String describe(Class<?> type, Values values) {
        if (type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == double.class) {
            return "a number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        Object[] constants = type.getEnumConstants();
        return "one of " + (values == Values.JSON ? Arrays.toString(constants) : Arrays.stream(constants)
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** The JSON object of a record: one field per component, nested records as objects, null as JSON null. */
    public static JsonObject tree(Record r) {
        JsonObject o = new JsonObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            o.add(c.getName(), json(value(r, c)));
        }
        return o;
    }

    /** The JSON form of one field value: numbers, booleans, enum names, nested records; anything else as text. */
    public static JsonElement json(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof JsonElement j) {
            return j;
        }
        if (v instanceof Record r) {
            return tree(r);
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof Enum<?> e) {
            return new JsonPrimitive(e.name());
        }
        return new JsonPrimitive(v.toString()); // Path, String
    }

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
