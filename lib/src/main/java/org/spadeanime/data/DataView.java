package org.spadeanime.data;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered selection of a data set's examples (the training or the validation part of a split),
 * with fixed-position access for tiles and an endless shuffled {@link BatchStream} for training.
 */
public final class DataView {

    private final AnimeDataset dataset;
    private final int[] indices;
    private final String role;

    DataView(AnimeDataset dataset, int[] indices, String role) {
        this.dataset = dataset;
        this.indices = indices;
        this.role = role;
    }

    public AnimeDataset dataset() {
        return dataset;
    }

    /** "train", "valid" or "all". */
    public String role() {
        return role;
    }

    public int size() {
        return indices.length;
    }

    /** The data set index of position {@code pos}. */
    public int index(int pos) {
        return indices[pos];
    }

    public String name(int pos) {
        return dataset.name(indices[pos]);
    }

    /** The names in view order. */
    public List<String> names() {
        List<String> n = new ArrayList<>(indices.length);
        for (int i : indices) {
            n.add(dataset.name(i));
        }
        return n;
    }

    /**
     * The sample at position {@code pos}. With {@link DatasetOptions#skipBad()} a bad file is
     * replaced by the next good position; otherwise it throws.
     */
    public Sample sample(int pos, boolean mirrored) throws IOException {
        return dataset.sampleOrNext(indices, pos, mirrored);
    }

    /** A batch of the samples at these positions, unmirrored (e.g. the fixed samples of a tile). */
    public Batch batch(NDManager manager, int... positions) throws IOException {
        List<Sample> s = new ArrayList<>(positions.length);
        for (int p : positions) {
            s.add(sample(p, false));
        }
        return Batch.of(s, manager);
    }

    /** An endless stream of shuffled batches from the first batch; see {@link BatchStream}. */
    public BatchStream stream(int batchSize, long seed, boolean mirror) {
        return stream(batchSize, seed, mirror, 0);
    }

    /**
     * An endless stream of shuffled batches, starting at batch number {@code firstBatch} (so a resumed
     * run sees the same data order as an uninterrupted one).
     */
    public BatchStream stream(int batchSize, long seed, boolean mirror, long firstBatch) {
        return new BatchStream(this, batchSize, seed, mirror, firstBatch);
    }

    int[] indices() {
        return indices;
    }

    @Override
    public String toString() {
        return role + " view of " + indices.length + " samples of " + dataset.folder();
    }
}
