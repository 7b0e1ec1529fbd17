package org.spadeanime.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.spadeanime.data.Batch;
import org.spadeanime.data.DataView;
import org.spadeanime.io.ImageTensors;
import org.spadeanime.io.Resample;
import org.spadeanime.label.LabelMap;
import org.spadeanime.metrics.ConfusionMatrix;
import org.spadeanime.model.Segmenter;

/**
 * Reading labels with a trained {@link Segmenter}: in inference mode (batch norm with its running
 * averages, so an image's labels do not depend on its batch) and without autograd. Class codes
 * are the label maps' (0 background, k + 1 label channel k).
 */
public final class Segmentation {

    /** Images per forward when scoring a view. */
    public static final int BATCH_SIZE = 8;

    private Segmentation() {}

    /** (B, H, W) int32 class codes of (B, 3, H, W) images in [−1, 1], in the images' manager. */
    public static NDArray codes(Segmenter net, NDArray images) {
        try (NoGrad ng = NoGrad.enter()) {
            NDManager m = images.getManager();
            NDArray logits = net.forward(new ParameterStore(m, false), new NDList(images), false).head();
            return logits.argMax(1).toType(DataType.INT32, false);
        }
    }

    /**
     * A (B, C, H, W) one-hot label without background channel (the data's encoding: background = no
     * channel set) as (B, C + 1, H, W) with the background as channel 0, the segmenter's classes.
     */
    public static NDArray withBackground(NDArray label) {
        NDArray background = label.sum(new int[] {1}, true).neg().add(1f);
        return NDArrays.concat(new NDList(background, label), 1);
    }

    /** (B, H, W) int32 class codes of a (B, C, H, W) one-hot label without background channel. */
    public static NDArray codesOfLabel(NDArray label) {
        return withBackground(label).argMax(1).toType(DataType.INT32, false);
    }

    /** Adds (label, segmenter's reading of {@code images}) pixel pairs to {@code matrix}. */
    public static ConfusionMatrix score(Segmenter net, NDArray images, NDArray label, ConfusionMatrix matrix) {
        return matrix.add(codesOfLabel(label).toIntArray(), codes(net, images).toIntArray());
    }

    /** The segmenter's pixel accuracy and mIoU on a view's real illustrations against their labels. */
    public static ConfusionMatrix score(Segmenter net, DataView view, NDManager manager) throws IOException {
        ConfusionMatrix matrix = new ConfusionMatrix(net.classes());
        for (int start = 0; start < view.size(); start += BATCH_SIZE) {
            int[] positions = new int[Math.min(BATCH_SIZE, view.size() - start)];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = start + i;
            }
            try (NDManager m = manager.newSubManager(); Batch b = view.batch(m, positions)) {
                score(net, b.target(), b.label(), matrix);
            }
        }
        return matrix;
    }

    /**
     * The label map of one illustration of any size: resampled (area / bilinear) to the segmenter's
     * square training resolution, read, and the codes scaled back to the illustration's size by
     * nearest neighbour — rough at the boundaries, as the original's "rough" set was.
     */
    public static LabelMap label(Segmenter net, BufferedImage image, NDManager manager) {
        int r = net.options().resolution();
        int w = image.getWidth();
        int h = image.getHeight();
        float[] px = Resample.planar(ImageTensors.planar(image), 3, w, h, r, r);
        for (int i = 0; i < px.length; i++) {
            px[i] = px[i] * 2f - 1f;
        }
        try (NDManager m = manager.newSubManager()) {
            int[] codes = codes(net, m.create(px, new Shape(1, 3, r, r))).toIntArray();
            byte[] b = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                b[i] = (byte) codes[i];
            }
            return new LabelMap(b, r, r, net.classes() - 1, 0).resized(w, h);
        }
    }
}
