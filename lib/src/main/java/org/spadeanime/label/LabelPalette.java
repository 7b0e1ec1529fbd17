package org.spadeanime.label;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;

/**
 * The semantic classes of the label maps, in one-hot channel order, plus the implicit background
 * class (its pixels, and pixels that match no class, are all-zero in the one-hot encoding).
 *
 * <p>{@link #anime()} is the original's palette: eye red, face green, hair blue, other magenta and
 * background yellow, so 4 one-hot channels. Users can define their own palette in code or in a small
 * file ({@link #load}): JSON ({@code {"classes": [{"name": "eye", "color": "#FF0000"}, ...]}}) or text
 * (one {@code name #RRGGBB} or {@code name R G B} per line, {@code #} starts a comment). The class named
 * {@code background} is the implicit one.
 *
 * <p>How a pixel is matched to a class ({@link Match}): the original's rule binarises each channel at
 * 0.4 and compares with the class colour; it only works for pure colours (channels 0 or 255), so a
 * palette with other colours matches the nearest class colour within a tolerance instead.
 */
public final class LabelPalette {

    /** How label pixels are matched to class colours. */
    public enum Match {
        /**
         * The original's rule: a pixel belongs to a class when every channel, thresholded at 0.4
         * (value/255 &gt; 0.4, i.e. &ge; 103), equals the class colour's channel. Needs pure colours.
         */
        THRESHOLD,
        /** The class colour nearest to the pixel (largest channel difference) if within the tolerance. */
        NEAREST
    }

    /** The name of the implicit class. */
    public static final String BACKGROUND = "background";
    /** The name of the class whose mask gates the hair-colour condition. */
    public static final String HAIR = "hair";
    /** Default tolerance of the {@link Match#NEAREST} rule, in 8-bit levels per channel. */
    public static final int DEFAULT_TOLERANCE = 16;

    private static final LabelPalette ANIME = new LabelPalette(List.of(
            LabelClass.of("eye", 255, 0, 0),
            LabelClass.of("face", 0, 255, 0),
            LabelClass.of(HAIR, 0, 0, 255),
            LabelClass.of("other", 255, 0, 255)),
            LabelClass.of(BACKGROUND, 255, 255, 0), Match.THRESHOLD, 0, "the built-in anime palette");

    private final List<LabelClass> classes;
    private final LabelClass background;
    private final Match match;
    private final int tolerance;

    private LabelPalette(List<LabelClass> classes, LabelClass background, Match match, int tolerance,
                         String source) {
        this.classes = List.copyOf(classes);
        this.background = background;
        this.match = match;
        this.tolerance = tolerance;
        String problem = problem();
        if (problem != null) {
            throw new IllegalArgumentException(source + ": " + problem);
        }
    }

    /** The original's five classes: eye, face, hair, other (the one-hot channels) and background. */
    public static LabelPalette anime() {
        return ANIME;
    }

    /**
     * A palette from code: {@code classes} in one-hot channel order and the implicit background.
     * The match rule is {@link Match#THRESHOLD} when all colours are pure, else {@link Match#NEAREST}
     * with {@link #DEFAULT_TOLERANCE}.
     */
    public static LabelPalette of(List<LabelClass> classes, LabelClass background) {
        Match m = allPure(classes, background) ? Match.THRESHOLD : Match.NEAREST;
        return new LabelPalette(classes, background, m, m == Match.NEAREST ? DEFAULT_TOLERANCE : 0, "palette");
    }

    /** A palette with an explicit match rule ({@code tolerance} is used by {@link Match#NEAREST} only). */
    public static LabelPalette of(List<LabelClass> classes, LabelClass background, Match match, int tolerance) {
        return new LabelPalette(classes, background, match, tolerance, "palette");
    }

    /** Loads a palette file: JSON when it starts with '{', else the text format. */
    public static LabelPalette load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read the palette file (" + e.getMessage() + ")", e);
        }
        try {
            return parse(text, file.toString());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String detail = m.startsWith(file.toString()) ? m.substring(file.toString().length()).replaceFirst("^:?\\s*", "") : m;
            throw new BadInputException(file, "bad palette: " + detail, e);
        }
    }

    /** Parses a palette in the JSON or text format; {@code source} names it in error messages. */
    public static LabelPalette parse(String text, String source) {
        String t = text.strip();
        return t.startsWith("{") ? parseJson(t, source) : parseText(t, source);
    }

    private static LabelPalette parseJson(String text, String source) {
        JsonObject root;
        try {
            root = JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + e.getMessage() + ")");
        }
        JsonElement cls = root.get("classes");
        if (cls == null || !cls.isJsonArray()) {
            throw new IllegalArgumentException(source + ": expected a \"classes\" array of {\"name\", \"color\"}");
        }
        List<LabelClass> all = new ArrayList<>();
        for (JsonElement e : cls.getAsJsonArray()) {
            if (!e.isJsonObject() || !e.getAsJsonObject().has("name")) {
                throw new IllegalArgumentException(source + ": each class needs \"name\" and \"color\", got " + e);
            }
            JsonObject o = e.getAsJsonObject();
            String name = o.get("name").getAsString();
            JsonElement colour = o.has("color") ? o.get("color") : o.get("colour");
            if (colour == null) {
                throw new IllegalArgumentException(source + ": class '" + name + "' has no \"color\"");
            }
            all.add(new LabelClass(name, colour.isJsonArray() ? rgbOf(colour.getAsJsonArray(), name, source)
                    : parseHex(colour.getAsString(), name, source)));
        }
        Match match = null;
        if (root.has("match")) {
            String m = root.get("match").getAsString().toUpperCase(Locale.ROOT);
            try {
                match = Match.valueOf(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": \"match\" must be \"threshold\" or \"nearest\", got " + m);
            }
        }
        int tol = root.has("tolerance") ? root.get("tolerance").getAsInt() : DEFAULT_TOLERANCE;
        return build(all, match, tol, source);
    }

    private static LabelPalette parseText(String text, String source) {
        List<LabelClass> all = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\\R")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = source + " line " + lineNo;
            if (f.length == 2) {
                all.add(new LabelClass(f[0], parseHex(f[1], f[0], where)));
            } else if (f.length == 4) {
                try {
                    all.add(LabelClass.of(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": expected 'name R G B' with integers 0..255, got '" + line + "'");
                }
            } else {
                throw new IllegalArgumentException(where + ": expected 'name #RRGGBB' or 'name R G B', got '" + line + "'");
            }
        }
        return build(all, null, DEFAULT_TOLERANCE, source);
    }

    private static LabelPalette build(List<LabelClass> all, Match match, int tolerance, String source) {
        LabelClass bg = null;
        List<LabelClass> fg = new ArrayList<>();
        for (LabelClass c : all) {
            if (c.name().equalsIgnoreCase(BACKGROUND)) {
                if (bg != null) {
                    throw new IllegalArgumentException(source + ": two classes named '" + BACKGROUND + "'");
                }
                bg = c;
            } else {
                fg.add(c);
            }
        }
        if (bg == null) {
            throw new IllegalArgumentException(source + ": expected a class named '" + BACKGROUND
                    + "' (the implicit class whose one-hot code is all zeros)");
        }
        Match m = match != null ? match : allPure(fg, bg) ? Match.THRESHOLD : Match.NEAREST;
        return new LabelPalette(fg, bg, m, m == Match.NEAREST ? tolerance : 0, source);
    }

    private static int rgbOf(JsonArray a, String name, String source) {
        if (a.size() != 3) {
            throw new IllegalArgumentException(source + ": class '" + name + "': colour must be [R, G, B], got " + a);
        }
        return LabelClass.of(name, a.get(0).getAsInt(), a.get(1).getAsInt(), a.get(2).getAsInt()).rgb();
    }

    private static int parseHex(String s, String name, String where) {
        String h = s.startsWith("#") ? s.substring(1) : s;
        if (h.length() != 6) {
            throw new IllegalArgumentException(where + ": class '" + name + "': expected a colour #RRGGBB, got '" + s + "'");
        }
        try {
            return Integer.parseInt(h, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": class '" + name + "': expected a colour #RRGGBB, got '" + s + "'");
        }
    }

    private static boolean allPure(List<LabelClass> fg, LabelClass bg) {
        return bg.isPure() && fg.stream().allMatch(LabelClass::isPure);
    }

    /** Why this palette is unusable, or null. */
    private String problem() {
        if (classes.isEmpty()) {
            return "expected at least one class besides '" + BACKGROUND + "'";
        }
        if (classes.size() > 254) {
            return "at most 254 classes are supported, got " + classes.size();
        }
        if (tolerance < 0 || tolerance > 127) {
            return "tolerance must be in 0..127, got " + tolerance;
        }
        List<LabelClass> all = all();
        Set<String> names = new HashSet<>();
        for (LabelClass c : all) {
            if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
                return "two classes are named '" + c.name() + "'";
            }
        }
        for (int i = 0; i < all.size(); i++) {
            LabelClass a = all.get(i);
            if (match == Match.THRESHOLD && !a.isPure()) {
                return "class '" + a.name() + "' has colour " + a.hex() + ", but the threshold rule needs pure"
                        + " colours (each channel 00 or FF); use \"match\": \"nearest\"";
            }
            for (int j = 0; j < i; j++) {
                LabelClass b = all.get(j);
                if (a.rgb() == b.rgb()) {
                    return "classes '" + b.name() + "' and '" + a.name() + "' have the same colour " + a.hex()
                            + "; each class needs its own colour";
                }
                if (match == Match.NEAREST && distance(a.rgb(), b.rgb()) <= 2 * tolerance) {
                    return "classes '" + b.name() + "' " + b.hex() + " and '" + a.name() + "' " + a.hex()
                            + " are within twice the tolerance (" + tolerance + ") of each other, so a pixel"
                            + " could match both; choose more distinct colours or a smaller tolerance";
                }
            }
        }
        return null;
    }

    /** Largest per-channel difference of two RGB colours. */
    static int distance(int a, int b) {
        int dr = Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF));
        int dg = Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF));
        int db = Math.abs((a & 0xFF) - (b & 0xFF));
        return Math.max(dr, Math.max(dg, db));
    }

    /** The one-hot classes, in channel order. */
    public List<LabelClass> classes() {
        return classes;
    }

    /** The implicit class (all-zero one-hot). */
    public LabelClass background() {
        return background;
    }

    /** The one-hot classes followed by the background. */
    public List<LabelClass> all() {
        List<LabelClass> all = new ArrayList<>(classes);
        all.add(background);
        return all;
    }

    /** Number of one-hot channels (4 for {@link #anime()}). */
    public int channels() {
        return classes.size();
    }

    /** The one-hot channel of the class with this name (case-insensitive), or -1. */
    public int channel(String name) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the palette has a {@value #HAIR} class (needed for the hair-colour condition). */
    public boolean hasHair() {
        return channel(HAIR) >= 0;
    }

    /** The one-hot channel of the {@value #HAIR} class (2 for {@link #anime()}). */
    public int hairChannel() {
        int c = channel(HAIR);
        if (c < 0) {
            throw new IllegalStateException("the palette " + classes + " has no class named '" + HAIR
                    + "'; the hair-colour condition is masked by it");
        }
        return c;
    }

    public Match match() {
        return match;
    }

    /** The {@link Match#NEAREST} tolerance in 8-bit levels (0 for the threshold rule). */
    public int tolerance() {
        return tolerance;
    }

    /** The codec for this palette. */
    public LabelCodec codec() {
        return new LabelCodec(this);
    }

    /** The palette as JSON, the format {@link #load} reads. */
    public String toJson() {
        JsonObject root = new JsonObject();
        JsonArray arr = new JsonArray();
        for (LabelClass c : all()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.name());
            o.addProperty("color", c.hex());
            arr.add(o);
        }
        root.add("classes", arr);
        root.addProperty("match", match.name().toLowerCase(Locale.ROOT));
        if (match == Match.NEAREST) {
            root.addProperty("tolerance", tolerance);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        return gson.toJson(root) + "\n";
    }

    /** Writes {@link #toJson()} atomically. */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelPalette p && p.classes.equals(classes) && p.background.equals(background)
                && p.match == match && p.tolerance == tolerance;
    }

    @Override
    public int hashCode() {
        return classes.hashCode() * 31 + background.hashCode();
    }

    @Override
    public String toString() {
        return "LabelPalette" + all() + " (" + match.name().toLowerCase(Locale.ROOT)
                + (match == Match.NEAREST ? " ±" + tolerance : "") + ")";
    }
}
