package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DataView;
import org.spadeanime.data.Sample;
import org.spadeanime.metrics.Ciede2000;
import org.spadeanime.metrics.ConfusionMatrix;
import org.spadeanime.metrics.ImageMetrics;
import org.spadeanime.metrics.Lab;
import org.spadeanime.model.Segmenter;
import org.spadeanime.model.SpadeGenerator;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How well a generator does on examples it was not trained on: it draws every example of a view
 * (the validation split) from the example's label and hair-colour condition, in inference mode
 * ({@link Sampler.Mode#INFERENCE}: batch norm with its running averages, so an image does not
 * depend on the others in its batch) with seeded noise, and scores each drawing against the real
 * illustration and the requested hair colour:
 *
 * <ul>
 *   <li>L1 — mean |generated − real| in the [−1, 1] range ({@link ImageMetrics#l1});</li>
 *   <li>PSNR — in dB, both images mapped to [0, 1] ({@link ImageMetrics#psnr});</li>
 *   <li>hair ΔE2000 — CIEDE2000 between the requested hair colour (the median colour of the
 *       condition on the hair pixels) and the median colour of the generated hair
 *       ({@link ImageMetrics#hairColor});</li>
 *   <li>real hair ΔE2000 — the same for the real illustration: the floor a perfect copy of the
 *       data would reach, since drawn hair has shading, highlights and outlines.</li>
 *   <li>frame ΔE2000 — between the median background colour of the outer {@value #FRAME} px and that
 *       farther than {@value #INSIDE} px from the edge, of the drawing itself: the tinted frame zero
 *       padding can leave; real frame ΔE2000 — the same for the real illustration (gradients and
 *       patterns make it more than 0);</li>
 *   <li>background ΔE2000 — between the real and the drawn median colour of that inner background
 *       (the synthetic set's background tint is random per image and in no input, so a generator
 *       can only guess it).</li>
 *   <li>mIoU, with a {@link Segmenter} — the segmentation-consistency score of Pix2PixHD and SPADE:
 *       the segmenter reads the drawn image and its labels are compared with the input label;
 *       real mIoU — the same segmenter on the real illustration, the score a perfect copy gets.</li>
 * </ul>
 *
 * Means are over images (hair ΔE over the images that have hair pixels); the mIoUs pool the pixel
 * counts of all images. The same generator, view
 * and seed give the same numbers.
 */
public final class HeldOutEvaluation {

    /** Images drawn per forward. */
    public static final int BATCH_SIZE = 8;

    /** Width in pixels of the border ring {@link Score#frameDeltaE} looks at. */
    public static final int FRAME = 2;

    /** Width in pixels of the background ring around the hair that {@link Score#haloDeltaE} looks at. */
    public static final int HALO = 2;

    /** Distance from the edge beyond which the frame's and the background's scores see the inner background. */
    public static final int INSIDE = 6;

    /**
     * The scores of one image.
     *
     * @param hairDeltaE NaN when the label has no hair pixel
     * @param realHairDeltaE NaN when the label has no hair pixel
     * @param frameDeltaE ΔE2000 between the drawing's median background colour within {@value #FRAME} px
     *     of the edge and farther than {@value #INSIDE} px (NaN when the label lacks either)
     * @param realFrameDeltaE the same for the real illustration
     * @param backgroundDeltaE ΔE2000 between the real and the drawn median colour of the background
     *     farther than {@value #INSIDE} px from the edge (NaN when there is none)
     * @param haloDeltaE ΔE2000 between the drawing's median background colour within {@value #HALO} px of the
     *     hair and its inner background (NaN when the label lacks either): a halo around the hair
     * @param realHaloDeltaE the same for the real illustration (its outline's anti-aliasing: the floor)
     * @param checkerboard the drawing's {@link ImageMetrics#checkerboard checkerboard energy} (period-2 texture)
     * @param realCheckerboard the same for the real illustration: its floor
     * @param checkerboardRatio the drawing's {@link ImageMetrics#checkerboardRatio checkerboard ratio} (the
     *     period-2 texture relative to all detail, so a blurry drawing does not score low for its blur)
     * @param realCheckerboardRatio the same for the real illustration
     */
    public record Score(String name, double l1, double psnr, double hairDeltaE, double realHairDeltaE,
            double frameDeltaE, double realFrameDeltaE, double backgroundDeltaE, double haloDeltaE,
            double realHaloDeltaE, double checkerboard, double realCheckerboard, double checkerboardRatio,
            double realCheckerboardRatio, ConfusionMatrix segmentation, ConfusionMatrix realSegmentation) {

        /** Scores without segmentation (no segmenter given). */
        public Score(String name, double l1, double psnr, double hairDeltaE, double realHairDeltaE,
                double frameDeltaE, double realFrameDeltaE, double backgroundDeltaE, double haloDeltaE,
                double realHaloDeltaE, double checkerboard, double realCheckerboard, double checkerboardRatio,
                double realCheckerboardRatio) {
            this(name, l1, psnr, hairDeltaE, realHairDeltaE, frameDeltaE, realFrameDeltaE, backgroundDeltaE,
                    haloDeltaE, realHaloDeltaE, checkerboard, realCheckerboard, checkerboardRatio, realCheckerboardRatio,
                    null, null);
        }

        /** The segmenter's mIoU on the drawn image against its input label (NaN without a segmenter). */
        public double meanIoU() {
            return segmentation == null ? Double.NaN : segmentation.meanIoU();
        }

        /** The segmenter's mIoU on the real illustration (NaN without a segmenter). */
        public double realMeanIoU() {
            return realSegmentation == null ? Double.NaN : realSegmentation.meanIoU();
        }
    }

    /** The scores of a view, in view order, and their means. */
    public record Result(List<Score> scores) {

        public Result {
            scores = List.copyOf(scores);
        }

        /** Number of images scored. */
        public int size() {
            return scores.size();
        }

        /** Mean L1 over the images. */
        public double l1() {
            return mean(Score::l1);
        }

        /** Mean PSNR in dB over the images (+∞ if any image is reproduced exactly). */
        public double psnr() {
            return mean(Score::psnr);
        }

        /** Mean hair ΔE2000 between requested and generated hair, over the images with hair. */
        public double hairDeltaE() {
            return mean(Score::hairDeltaE);
        }

        /** Mean hair ΔE2000 between requested and real hair (the data's own floor). */
        public double realHairDeltaE() {
            return mean(Score::realHairDeltaE);
        }

        private double mean(ToDoubleFunction<Score> metric) {
            return scores.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        }

        /** Mean frame ΔE2000 (the tinted-border artefact) over the images with background at the edge and inside. */
        public double frameDeltaE() {
            return mean(Score::frameDeltaE);
        }

        /** Mean frame ΔE2000 of the real illustrations: the floor of {@link #frameDeltaE()}. */
        public double realFrameDeltaE() {
            return mean(Score::realFrameDeltaE);
        }

        /** Mean background ΔE2000 (drawn vs real inner background colour). */
        public double backgroundDeltaE() {
            return mean(Score::backgroundDeltaE);
        }

        /** Mean halo ΔE2000 (background colour next to the hair against the inner background). */
        public double haloDeltaE() {
            return mean(Score::haloDeltaE);
        }

        /** Mean halo ΔE2000 of the real illustrations: the floor of {@link #haloDeltaE()}. */
        public double realHaloDeltaE() {
            return mean(Score::realHaloDeltaE);
        }

        /** Mean checkerboard energy of the drawings (the period-2 texture). */
        public double checkerboard() {
            return mean(Score::checkerboard);
        }

        /** Mean checkerboard energy of the real illustrations: the floor of {@link #checkerboard()}. */
        public double realCheckerboard() {
            return mean(Score::realCheckerboard);
        }

        /** Mean checkerboard ratio of the drawings (period-2 texture over all detail). */
        public double checkerboardRatio() {
            return mean(Score::checkerboardRatio);
        }

        /** Mean checkerboard ratio of the real illustrations. */
        public double realCheckerboardRatio() {
            return mean(Score::realCheckerboardRatio);
        }

        /** Whether a segmenter scored the images ({@link #meanIoU()} is NaN otherwise). */
        public boolean segmented() {
            return !scores.isEmpty() && scores.get(0).segmentation() != null;
        }

        /**
         * The segmentation-consistency score: the segmenter's mIoU on the drawn images against their
         * input labels, from the pixel counts of the whole view (as the papers compute it), NaN without
         * a segmenter.
         */
        public double meanIoU() {
            return pooled(Score::segmentation);
        }

        /** The same segmenter's mIoU on the real illustrations: what a perfect generator would score. */
        public double realMeanIoU() {
            return pooled(Score::realSegmentation);
        }

        /** {@link #meanIoU()} as a fraction of {@link #realMeanIoU()}. */
        public double meanIoURatio() {
            return meanIoU() / realMeanIoU();
        }

        private double pooled(Function<Score, ConfusionMatrix> matrix) {
            if (!segmented()) {
                return Double.NaN;
            }
            ConfusionMatrix all = new ConfusionMatrix(matrix.apply(scores.get(0)).classes());
            scores.forEach(s -> all.add(matrix.apply(s)));
            return all.meanIoU();
        }

        /** One row per image: name, L1, PSNR (dB), hair ΔE2000, real hair ΔE2000 (and both mIoUs when segmented). */
        public Table table() {
            StringColumn name = StringColumn.create("image");
            DoubleColumn l1 = DoubleColumn.create("L1");
            DoubleColumn psnr = DoubleColumn.create("PSNR (dB)");
            DoubleColumn hair = DoubleColumn.create("hair ΔE2000");
            DoubleColumn realHair = DoubleColumn.create("real hair ΔE2000");
            DoubleColumn frame = DoubleColumn.create("frame ΔE2000");
            DoubleColumn realFrame = DoubleColumn.create("real frame ΔE2000");
            DoubleColumn background = DoubleColumn.create("background ΔE2000");
            DoubleColumn halo = DoubleColumn.create("halo ΔE2000");
            DoubleColumn realHalo = DoubleColumn.create("real halo ΔE2000");
            DoubleColumn checker = DoubleColumn.create("checkerboard");
            DoubleColumn realChecker = DoubleColumn.create("real checkerboard");
            DoubleColumn checkerRatio = DoubleColumn.create("checkerboard ratio");
            DoubleColumn realCheckerRatio = DoubleColumn.create("real checkerboard ratio");
            for (Score s : scores) {
                name.append(s.name());
                l1.append(s.l1());
                psnr.append(s.psnr());
                hair.append(s.hairDeltaE());
                realHair.append(s.realHairDeltaE());
                frame.append(s.frameDeltaE());
                realFrame.append(s.realFrameDeltaE());
                background.append(s.backgroundDeltaE());
                halo.append(s.haloDeltaE());
                realHalo.append(s.realHaloDeltaE());
                checker.append(s.checkerboard());
                realChecker.append(s.realCheckerboard());
                checkerRatio.append(s.checkerboardRatio());
                realCheckerRatio.append(s.realCheckerboardRatio());
            }
            Table t = Table.create("held-out scores", name, l1, psnr, hair, realHair, frame, realFrame, background,
                    halo, realHalo, checker, realChecker, checkerRatio, realCheckerRatio);
            if (segmented()) {
                t.addColumns(DoubleColumn.create("mIoU", scores.stream().mapToDouble(Score::meanIoU)),
                        DoubleColumn.create("real mIoU", scores.stream().mapToDouble(Score::realMeanIoU)));
            }
            return t;
        }

        @Override
        public String toString() {
            String s = String.format(java.util.Locale.ROOT,
                    "%d images: L1 %.4f, PSNR %.2f dB, hair ΔE2000 %.2f (real images: %.2f), frame ΔE2000 %.2f "
                    + "(real images: %.2f), background ΔE2000 %.2f", size(), l1(), psnr(), hairDeltaE(),
                    realHairDeltaE(), frameDeltaE(), realFrameDeltaE(), backgroundDeltaE());
            if (segmented()) {
                s += String.format(java.util.Locale.ROOT, ", mIoU %.3f (real images: %.3f, ratio %.2f)", meanIoU(),
                        realMeanIoU(), meanIoURatio());
            }
            return s + String.format(java.util.Locale.ROOT, ", halo ΔE2000 %.2f (real images: %.2f), checkerboard %.4f "
                    + "(real images: %.4f), checkerboard ratio %.3f (real images: %.3f)", haloDeltaE(), realHaloDeltaE(),
                    checkerboard(), realCheckerboard(), checkerboardRatio(), realCheckerboardRatio());
        }
    }

    private HeldOutEvaluation() {}

    /**
     * Draws every example of {@code view} with {@code generator} in inference mode, the noise of
     * each batch seeded with {@code seed}, and scores it. Temporaries live in sub-managers of
     * {@code manager}; the generator is not changed.
     */
    public static Result evaluate(SpadeGenerator generator, DataView view, int seed, NDManager manager)
            throws IOException {
        return evaluate(generator, view, seed, manager, (done, total) -> { });
    }

    /** {@link #evaluate(SpadeGenerator, DataView, int, NDManager)} telling {@code progress} after each batch. */
    public static Result evaluate(SpadeGenerator generator, DataView view, int seed, NDManager manager,
            Progress progress) throws IOException {
        return evaluate(generator, view, seed, manager, null, progress);
    }

    /**
     * {@link #evaluate(SpadeGenerator, DataView, int, NDManager, Progress)} that also reads the drawn
     * and the real images with {@code segmenter} (null: no mIoU).
     */
    public static Result evaluate(SpadeGenerator generator, DataView view, int seed, NDManager manager,
            Segmenter segmenter, Progress progress) throws IOException {
        return evaluate(view, BATCH_SIZE, manager,
                b -> Sampler.generate(generator, b.label(), b.condition(), Sampler.Mode.INFERENCE, seed), segmenter,
                progress);
    }

    /** Told how many of the view's examples are scored so far. */
    @FunctionalInterface
    public interface Progress {
        void scored(int done, int total);
    }

    /**
     * Scores the images {@code draw} makes for each batch of {@code view} (B images in [−1, 1],
     * shape (B, 3, H, W), one per example in batch order). The batches hold up to {@code batchSize}
     * unmirrored examples in view order and live in a sub-manager of {@code manager}.
     */
    public static Result evaluate(DataView view, int batchSize, NDManager manager, Function<Batch, NDArray> draw)
            throws IOException {
        return evaluate(view, batchSize, manager, draw, (done, total) -> { });
    }

    /** {@link #evaluate(DataView, int, NDManager, Function)} telling {@code progress} after each batch. */
    public static Result evaluate(DataView view, int batchSize, NDManager manager, Function<Batch, NDArray> draw,
            Progress progress) throws IOException {
        return evaluate(view, batchSize, manager, draw, null, progress);
    }

    /**
     * {@link #evaluate(DataView, int, NDManager, Function, Progress)} with the segmentation score:
     * {@code segmenter} (null: none) reads each drawn and each real image, and its labels are counted
     * against the input label.
     */
    public static Result evaluate(DataView view, int batchSize, NDManager manager, Function<Batch, NDArray> draw,
            Segmenter segmenter, Progress progress) throws IOException {
        if (segmenter != null && segmenter.options().numClasses() != view.dataset().palette().channels()) {
            throw new IllegalArgumentException("the segmenter reads " + segmenter.options().numClasses()
                    + " label classes, the data's palette has " + view.dataset().palette().channels());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ": expected at least 1");
        }
        if (view.size() == 0) {
            throw new IllegalArgumentException(view + ": no examples to evaluate (is the validation fraction 0?)");
        }
        int hairChannel = view.dataset().palette().hairChannel();
        List<Score> scores = new ArrayList<>(view.size());
        for (int from = 0; from < view.size(); from += batchSize) {
            List<Sample> samples = new ArrayList<>();
            for (int p = from; p < Math.min(view.size(), from + batchSize); p++) {
                samples.add(view.sample(p, false));
            }
            try (NDManager m = manager.newSubManager(); Batch b = Batch.of(samples, m)) {
                NDArray drawn = draw.apply(b);
                if (!drawn.getShape().equals(b.target().getShape())) {
                    throw new IllegalArgumentException("evaluation: drew images of shape " + drawn.getShape()
                            + ", expected " + b.target().getShape());
                }
                ConfusionMatrix[] drawnRead = null;
                ConfusionMatrix[] realRead = null;
                if (segmenter != null) {
                    int[][] truth = perImage(Segmentation.codesOfLabel(b.label()));
                    drawnRead = matrices(segmenter, truth, drawn);
                    realRead = matrices(segmenter, truth, b.target());
                }
                for (int i = 0; i < samples.size(); i++) {
                    scores.add(score(samples.get(i), drawn.get(i), b.target().get(i), hairChannel,
                            drawnRead == null ? null : drawnRead[i], realRead == null ? null : realRead[i]));
                }
            }
            progress.scored(scores.size(), view.size());
        }
        return new Result(scores);
    }

    /** One matrix per image: the segmenter's reading of {@code images} against the label codes {@code truth}. */
    private static ConfusionMatrix[] matrices(Segmenter segmenter, int[][] truth, NDArray images) {
        int[][] read = perImage(Segmentation.codes(segmenter, images));
        ConfusionMatrix[] out = new ConfusionMatrix[read.length];
        for (int i = 0; i < read.length; i++) {
            out[i] = new ConfusionMatrix(segmenter.classes()).add(truth[i], read[i]);
        }
        return out;
    }

    /** (B, H, W) codes as one int array per image. */
    private static int[][] perImage(NDArray codes) {
        int b = Math.toIntExact(codes.getShape().get(0));
        int[] all = codes.toIntArray();
        int n = all.length / b;
        int[][] out = new int[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(all, i * n, (i + 1) * n);
        }
        return out;
    }

    private static Score score(Sample sample, NDArray generated, NDArray real, int hairChannel,
            ConfusionMatrix segmentation, ConfusionMatrix realSegmentation) {
        boolean[] hair = sample.label().mask(hairChannel);
        Lab requested = ImageMetrics.hairColor(sample.condition(), hair);
        float[] drawn = unit(generated);
        float[] truth = unit(real);
        boolean[] frame = ImageMetrics.frameMask(sample.label(), FRAME);
        boolean[] inside = ImageMetrics.backgroundMask(sample.label(), INSIDE, Integer.MAX_VALUE);
        Lab drawnInside = ImageMetrics.medianColor(drawn, inside);
        Lab realInside = ImageMetrics.medianColor(truth, inside);
        boolean[] halo = ImageMetrics.backgroundRing(sample.label(), hair, HALO);
        int h = sample.label().height();
        int w = sample.label().width();
        return new Score(sample.name(), ImageMetrics.l1(generated, real), ImageMetrics.psnr(real, generated),
                deltaE(requested, ImageMetrics.hairColor(drawn, hair)),
                deltaE(requested, ImageMetrics.hairColor(truth, hair)),
                deltaE(ImageMetrics.medianColor(drawn, frame), drawnInside),
                deltaE(ImageMetrics.medianColor(truth, frame), realInside),
                deltaE(realInside, drawnInside),
                deltaE(ImageMetrics.medianColor(drawn, halo), drawnInside),
                deltaE(ImageMetrics.medianColor(truth, halo), realInside), ImageMetrics.checkerboard(drawn, h, w),
                ImageMetrics.checkerboard(truth, h, w), ImageMetrics.checkerboardRatio(drawn, h, w),
                ImageMetrics.checkerboardRatio(truth, h, w), segmentation, realSegmentation);
    }

    /** A (3, H, W) image in [−1, 1] as planar RGB in [0, 1]. */
    private static float[] unit(NDArray signed) {
        return signed.add(1f).div(2f).toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static double deltaE(Lab requested, Lab drawn) {
        return requested == null || drawn == null ? Double.NaN : Ciede2000.deltaE(requested, drawn);
    }
}
