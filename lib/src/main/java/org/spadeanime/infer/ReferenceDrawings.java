package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DataView;
import org.spadeanime.data.Sample;
import org.spadeanime.label.LabelMap;

/**
 * Drawings made without a generator that put its held-out scores in scale. Two use the per-class
 * median colours of the training split (the per-channel median is the colour that minimises the mean
 * L1 over a class's pixels):
 *
 * <ul>
 *   <li>{@link #flat()} paints every pixel its class's median colour and the hair the requested colour:
 *       what knowing only the label and the hair colour, and nothing about shapes within a class, scores —
 *       a generator should beat it;</li>
 *   <li>{@link #realWithFlatBackground()} is the real illustration with its background painted the
 *       background's median colour. Where the data's background tint is random and in no input (the
 *       synthetic set), no generator can know it, so its L1 is a floor that no generator reaches on
 *       average: only that one unknowable part is wrong, and with the best constant guess.</li>
 * </ul>
 *
 * and {@link #blurred(int)}, the real illustration box-blurred, shows what blur alone does to each score
 * (the halo and checkerboard scores of blurry generators are the blur's).
 *
 * Use them as {@link HeldOutEvaluation#evaluate(DataView, int, NDManager, Function, org.spadeanime.model.Segmenter,
 * HeldOutEvaluation.Progress) evaluate}'s drawing, on the same validation split as the generator.
 */
public final class ReferenceDrawings {

    /** Per label code (0: background, c: one-hot channel c − 1), the median colour as RGB in [−1, 1]. */
    private final float[][] medians;

    /** The label code of the hair (its one-hot channel + 1). */
    private final int hairCode;

    private ReferenceDrawings(float[][] medians, int hairCode) {
        this.medians = medians;
        this.hairCode = hairCode;
    }

    /** The median colours of {@code train}'s targets per label code, from 8-bit histograms (exact for PNG data). */
    public static ReferenceDrawings of(DataView train) throws IOException {
        if (train.size() == 0) {
            throw new IllegalArgumentException(train + ": no examples to take the class colours from");
        }
        int codes = train.dataset().palette().channels() + 1;
        long[][][] histogram = new long[codes][3][256];
        for (int p = 0; p < train.size(); p++) {
            Sample s = train.sample(p, false);
            float[] t = s.target();
            byte[] label = s.label().codes();
            int plane = label.length;
            for (int i = 0; i < plane; i++) {
                int code = label[i] & 0xFF;
                for (int k = 0; k < 3; k++) {
                    histogram[code][k][Math.round((t[k * plane + i] + 1f) * 127.5f)]++;
                }
            }
        }
        float[][] medians = new float[codes][3];
        for (int code = 0; code < codes; code++) {
            for (int k = 0; k < 3; k++) {
                medians[code][k] = median(histogram[code][k]) / 127.5f - 1f;
            }
        }
        return new ReferenceDrawings(medians, train.dataset().palette().hairChannel() + 1);
    }

    /** The lower median of a histogram's 8-bit values (0 for an empty one: a class the split never shows). */
    private static int median(long[] histogram) {
        long n = 0;
        for (long c : histogram) {
            n += c;
        }
        long seen = 0;
        for (int v = 0; v < histogram.length; v++) {
            seen += histogram[v];
            if (2 * seen >= n && n > 0) {
                return v;
            }
        }
        return 0;
    }

    /** The median colour of label code {@code code} (0: background) as RGB in [−1, 1]. */
    public float[] median(int code) {
        return medians[code].clone();
    }

    /** Each pixel its class's median colour, the hair pixels the condition's colour: (B, 3, H, W) in [−1, 1]. */
    public Function<Batch, NDArray> flat() {
        return b -> draw(b, (s, code, k, i, plane) -> code == hairCode ? 2f * s.condition()[k * plane + i] - 1f
                : medians[code][k]);
    }

    /** The real illustration with its background pixels painted the background's median colour. */
    public Function<Batch, NDArray> realWithFlatBackground() {
        return b -> draw(b, (s, code, k, i, plane) -> code == LabelMap.BACKGROUND ? medians[LabelMap.BACKGROUND][k]
                : s.target()[k * plane + i]);
    }

    /**
     * The real illustration, each pixel the mean of the {@code size}×{@code size} window around it (edges
     * replicated; an even size reaches one pixel further right and down).
     */
    public static Function<Batch, NDArray> blurred(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("blur size " + size + ": expected at least 1 pixel");
        }
        int lo = -(size - 1) / 2;
        int hi = size / 2;
        return b -> draw(b, (s, code, k, i, plane) -> {
            int w = s.label().width();
            int h = plane / w;
            float[] target = s.target();
            float sum = 0;
            for (int dy = lo; dy <= hi; dy++) {
                int row = k * plane + Math.min(h - 1, Math.max(0, i / w + dy)) * w;
                for (int dx = lo; dx <= hi; dx++) {
                    sum += target[row + Math.min(w - 1, Math.max(0, i % w + dx))];
                }
            }
            return sum / (size * size);
        });
    }

    /** What a drawing paints: channel k of pixel i (row-major, of {@code plane}) of a sample whose label code there is {@code code}. */
    @FunctionalInterface
    interface Pixel {
        float value(Sample sample, int code, int k, int i, int plane);
    }

    /** The batch's images painted pixel by pixel, (B, 3, H, W), on the manager of the batch's arrays. */
    private static NDArray draw(Batch b, Pixel pixel) {
        List<Sample> samples = b.samples();
        Shape shape = b.condition().getShape();
        int plane = Math.toIntExact(shape.get(2) * shape.get(3));
        float[] out = new float[samples.size() * 3 * plane];
        for (int n = 0; n < samples.size(); n++) {
            Sample s = samples.get(n);
            byte[] label = s.label().codes();
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < plane; i++) {
                    out[(n * 3 + k) * plane + i] = pixel.value(s, label[i] & 0xFF, k, i, plane);
                }
            }
        }
        return b.condition().getManager().create(out, shape);
    }
}
