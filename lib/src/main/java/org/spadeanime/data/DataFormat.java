package org.spadeanime.data;

/** The layouts a data set folder can have; {@link AnimeDataset#open} detects which. */
public enum DataFormat {
    /** The original's: PNG files of width 3×height, [illustration | label | hair-colour map]. */
    TRIPLETS,
    /**
     * Subfolders {@code images/}, {@code labels/} and optional {@code colors/}, matched by file name;
     * a missing colour map is derived from the illustration (median hair colour).
     */
    FOLDERS
}
