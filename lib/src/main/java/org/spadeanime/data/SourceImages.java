package org.spadeanime.data;

import java.nio.file.Path;

/**
 * The decoded pixels (0xRRGGBB, row-major) of one example at its file resolution, before resizing:
 * illustration, label and optional hair-colour map, all {@code size}×{@code size}. The paths name the
 * files in error messages ({@code where} says which part of a file holds the label).
 */
record SourceImages(int size, int[] illustration, int[] label, int[] colour, Path imageFile, Path labelFile,
                    String labelWhere) {
}
