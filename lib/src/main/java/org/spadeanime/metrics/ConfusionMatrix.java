package org.spadeanime.metrics;

import java.util.Arrays;

/**
 * Pixel counts of (true class, predicted class) over any number of label maps, and the scores the
 * semantic-synthesis papers report from them: per-class IoU = TP / (TP + FP + FN), mIoU = the mean
 * IoU over the classes present in the truth or the prediction (a class absent from both has no IoU
 * and is left out, as in the Cityscapes/ADE20K scripts), and pixel accuracy. Counts are longs, so
 * matrices of separate batches add exactly.
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    /** An empty matrix over classes {@code 0 … classes − 1}. */
    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    public int classes() {
        return classes;
    }

    /** Counts one pair of equally long class-code arrays (truth, prediction). */
    public ConfusionMatrix add(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels, prediction "
                    + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            counts[index(truth[i]) * classes + index(predicted[i])]++;
        }
        return this;
    }

    /** Adds another matrix's counts to this one. */
    public ConfusionMatrix add(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot add a " + other.classes + "-class matrix to a "
                    + classes + "-class one");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    private int index(int c) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("class " + c + " is outside 0.." + (classes - 1));
        }
        return c;
    }

    /** Pixels of true class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[index(truth) * classes + index(predicted)];
    }

    /** All counted pixels. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** IoU of class {@code c}, or NaN when it is absent from both truth and prediction. */
    public double iou(int c) {
        long tp = count(c, c);
        long truth = 0;
        long predicted = 0;
        for (int k = 0; k < classes; k++) {
            truth += count(c, k);
            predicted += count(k, c);
        }
        long union = truth + predicted - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }

    /** Mean IoU over the classes present in truth or prediction (NaN for an empty matrix). */
    public double meanIoU() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            double v = iou(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Fraction of pixels whose class is predicted right (NaN for an empty matrix). */
    public double pixelAccuracy() {
        long right = 0;
        for (int c = 0; c < classes; c++) {
            right += count(c, c);
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) right / total;
    }

    @Override
    public String toString() {
        return String.format("ConfusionMatrix[%d classes, %d px, accuracy %.3f, mIoU %.3f]", classes, total(),
                pixelAccuracy(), meanIoU());
    }
}
