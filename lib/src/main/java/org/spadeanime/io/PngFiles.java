package org.spadeanime.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The PNG files a command line names. */
public final class PngFiles {

    private PngFiles() {}

    /**
     * Files as given, folders as their *.png files (sorted); {@code what} says in errors what the
     * PNGs should be, e.g. "label PNGs".
     */
    public static List<Path> expand(List<Path> inputs, String what) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    List<Path> pngs = s.filter(p -> Files.isRegularFile(p)
                            && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
                    if (pngs.isEmpty()) {
                        throw new BadInputException(in, "no PNG files in this folder (expected " + what + ")");
                    }
                    files.addAll(pngs);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new BadInputException(in, "no such file or folder (expected " + what + " or a folder of them)");
            }
        }
        return files;
    }
}
