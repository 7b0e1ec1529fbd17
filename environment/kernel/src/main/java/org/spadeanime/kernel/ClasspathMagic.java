package org.spadeanime.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.spadeanime.kernel.CellError.MagicError;

/**
 * The line magics the kernel shares with IJava and JJava: {@code %jars GLOB...} adds jar files,
 * {@code %classpath PATH...} adds jars or class folders (an argument may also be a {@code :}-separated
 * class path). Relative paths start at the kernel's working directory, the notebook's folder. Unlike
 * IJava, a pattern that matches nothing is an error, not a silent no-op.
 */
enum ClasspathMagic {
    JARS, CLASSPATH;

    /** The magic named on a magic line ({@code %jars ...}); a MagicError names the ones that exist. */
    static ClasspathMagic named(String name) {
        for (ClasspathMagic m : values()) {
            if (m.magicName().equals(name)) {
                return m;
            }
        }
        throw new MagicError("unknown magic %" + name + ": this kernel has %jars and %classpath"
                + " (the magics that also work in IJava and JJava)");
    }

    String magicName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The absolute paths the arguments name, in argument order (each glob's matches sorted). */
    List<Path> resolve(List<String> args) {
        if (args.isEmpty()) {
            throw new MagicError("%" + magicName() + " needs at least one path or glob, e.g. %jars ../lib/target/lib/*.jar");
        }
        List<Path> out = new ArrayList<>();
        for (String arg : args) {
            for (String pattern : PathsHandler.split(arg)) {
                out.addAll(matches(pattern));
            }
        }
        return out;
    }

    private List<Path> matches(String pattern) {
        List<Path> found;
        try {
            found = new ArrayList<>(PathsHandler.resolveGlobs(pattern));
        } catch (RuntimeException e) { // a folder on the way does not exist
            found = new ArrayList<>();
        }
        found.sort(null);
        if (found.isEmpty()) {
            String hint = pattern.contains("target/") ? "; build it first (mvn -B package -DskipTests)" : "";
            throw new MagicError("%" + magicName() + " " + pattern + ": nothing matches (relative paths start at "
                    + Path.of("").toAbsolutePath() + ")" + hint);
        }
        List<Path> out = new ArrayList<>();
        for (Path p : found) {
            if (this == JARS && !Files.isRegularFile(p)) {
                throw new MagicError("%jars " + pattern + ": " + p + " is not a file (use %classpath for class folders)");
            }
            out.add(p.toAbsolutePath().normalize());
        }
        return out;
    }

    /** Splits a magic line's arguments at blanks; double quotes keep blanks inside one argument. */
    static List<String> arguments(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new MagicError("unclosed quote in magic arguments: " + text);
        }
        if (any) {
            out.add(current.toString());
        }
        return out;
    }
}
