package org.spadeanime.data;

import org.spadeanime.label.LabelPalette;

/**
 * How a data set folder is read.
 *
 * @param resolution side length of the samples (64, 128 or 256 for the models; images are resized,
 *                   labels by nearest neighbour)
 * @param palette    label palette; null: the folder's {@code palette.json} if present, else
 *                   {@link LabelPalette#anime()}
 * @param skipBad    log and skip unusable files instead of failing (never silent: each is logged and
 *                   listed by {@link AnimeDataset#skipped()})
 * @param workers    decoding threads of a {@link BatchStream}
 * @param prefetch   batches a {@link BatchStream} decodes ahead
 */
public record DatasetOptions(int resolution, LabelPalette palette, boolean skipBad, int workers, int prefetch) {

    public DatasetOptions {
        if (resolution < 1 || resolution > 4096) {
            throw new IllegalArgumentException("resolution " + resolution + ": expected 1..4096 pixels (64, 128 or 256 for the models)");
        }
        if (workers < 1 || prefetch < 1) {
            throw new IllegalArgumentException("workers and prefetch must be ≥ 1, got " + workers + " and " + prefetch);
        }
    }

    /** 256², the folder's palette, fail on bad files, up to 4 decoding threads, 4 batches ahead. */
    public static DatasetOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new DatasetOptions(256, null, false, Math.max(1, Math.min(4, cores / 2)), 4);
    }

    public DatasetOptions withResolution(int r) {
        return new DatasetOptions(r, palette, skipBad, workers, prefetch);
    }

    public DatasetOptions withPalette(LabelPalette p) {
        return new DatasetOptions(resolution, p, skipBad, workers, prefetch);
    }

    public DatasetOptions withSkipBad(boolean skip) {
        return new DatasetOptions(resolution, palette, skip, workers, prefetch);
    }

    public DatasetOptions withWorkers(int n) {
        return new DatasetOptions(resolution, palette, skipBad, n, prefetch);
    }

    public DatasetOptions withPrefetch(int n) {
        return new DatasetOptions(resolution, palette, skipBad, workers, n);
    }
}
