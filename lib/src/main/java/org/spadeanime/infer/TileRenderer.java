package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DataSplit;
import org.spadeanime.data.Sample;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.label.LabelCodec;
import org.spadeanime.label.LabelPalette;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.viz.Tiles;

/**
 * The original's result tile: one row per sample, [label colours | real | generated], for the first
 * training sample and the first two validation samples (training samples fill in when the validation
 * part is smaller). The samples are fixed for a run, and the noise is seeded, so tiles of successive
 * steps differ only by what the generator learned.
 */
public final class TileRenderer {

    /** Rows of the tile: 1 training + 2 validation samples, as in the original. */
    public static final int TRAIN_ROWS = 1;
    public static final int VALID_ROWS = 2;

    private final List<Sample> samples;
    private final LabelCodec codec;
    private final Sampler.Mode mode;
    private final int seed;

    public TileRenderer(List<Sample> samples, LabelCodec codec, Sampler.Mode mode, int seed) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a tile needs at least one sample");
        }
        this.samples = List.copyOf(samples);
        this.codec = codec;
        this.mode = mode;
        this.seed = seed;
    }

    /**
     * The renderer of a run's tiles: the split's tile samples, the data set's palette, and noise
     * seeded with {@code seed} (a run's {@code TrainOptions.tileSeed()}), so a checkpoint's tile can
     * be redrawn later exactly.
     */
    public static TileRenderer of(DataSplit split, LabelPalette palette, int seed) throws IOException {
        return new TileRenderer(samples(split), palette.codec(), Sampler.Mode.DEFAULT, seed);
    }

    /** A renderer like this one that draws with {@code m}. */
    public TileRenderer withMode(Sampler.Mode m) {
        return new TileRenderer(samples, codec, m, seed);
    }

    /** The tile samples of a split: train position 0, valid positions 0 and 1 (train ones if short). */
    public static List<Sample> samples(DataSplit split) throws IOException {
        List<Sample> s = new ArrayList<>();
        int valid = Math.min(VALID_ROWS, split.valid().size());
        int train = Math.min(split.train().size(), TRAIN_ROWS + VALID_ROWS - valid);
        for (int i = 0; i < train; i++) {
            s.add(split.train().sample(i, false));
        }
        for (int i = 0; i < valid; i++) {
            s.add(split.valid().sample(i, false));
        }
        return s;
    }

    /** The samples, in row order. */
    public List<Sample> samples() {
        return samples;
    }

    /** Draws the tile with {@code generator}; temporaries live in a sub-manager of {@code manager}. */
    public BufferedImage render(SpadeGenerator generator, NDManager manager) {
        List<Tiles.Row> rows = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            for (Sample s : samples) {
                // One sample per forward: in batch-statistics mode a row must not depend on the others.
                Batch b = Batch.of(List.of(s), m);
                NDArray fake = Sampler.generate(generator, b.label(), b.condition(), mode, seed);
                rows.add(new Tiles.Row(codec.toImage(s.label()), ImageTensors.toImage(b.target().get(0), -1f, 1f),
                        ImageTensors.toImage(fake.get(0), -1f, 1f)));
            }
        }
        return Tiles.compose(rows);
    }
}
