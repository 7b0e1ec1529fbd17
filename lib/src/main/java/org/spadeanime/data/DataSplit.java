package org.spadeanime.data;

/** A deterministic train/valid split of a data set ({@link AnimeDataset#split}). */
public record DataSplit(DataView train, DataView valid) {
}
