package org.spadeanime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An illustration → label network: the semantic-synthesis papers' segmentation-consistency score
 * (Pix2PixHD, SPADE) runs such a network on generated images and compares its labels with the
 * input label map; the original's "rough" data set was labelled by one. Small on purpose — it has
 * to read five flat-coloured regions, not a photograph:
 *
 * <pre>
 *   e1  3×3      3  → w      (H)       ┐ skip
 *   e2  4×4/2    w  → 2w     (H/2)     ┐ skip
 *   e3  4×4/2    2w → 4w     (H/4)
 *   c1  3×3 d2, c2 3×3 d4   4w → 4w   (context of ≈ 60 px at H/4)
 *   d2  nearest ×2, concat e2, 3×3 → 2w
 *   d1  nearest ×2, concat e1, 3×3 → w
 *   out 1×1  w → classes + 1 logits   (0: background, k + 1: label channel k)
 * </pre>
 *
 * each conv but the last followed by batch norm and leaky ReLU. Fully convolutional: any square or
 * rectangular input whose sides divide by 4 works; the options' resolution is what it was trained
 * at. Its options are a {@link ModelOptions} whose {@code numClasses} is the palette's label
 * channels and whose {@code ngf} is the width w (nothing else is read), so checkpoints, manifests
 * and loading are the generator's.
 */
public final class Segmenter extends SpadeNetwork {

    private final SpectralConv2d e1;
    private final SpectralConv2d e2;
    private final SpectralConv2d e3;
    private final SpectralConv2d c1;
    private final SpectralConv2d c2;
    private final SpectralConv2d d2;
    private final SpectralConv2d d1;
    private final SpectralConv2d out;
    private final BatchNorm[] norms = new BatchNorm[7];

    /** Builds an uninitialised segmenter; call {@link #initialize(NDManager)} next. */
    public Segmenter(ModelOptions o) {
        super(o);
        int w = o.ngf();
        e1 = addChildBlock("e1", conv(3, w, 3, 1, 1));
        norms[0] = addBatchNorm("n1", w, true);
        e2 = addChildBlock("e2", conv(w, 2 * w, 4, 2, 1));
        norms[1] = addBatchNorm("n2", 2 * w, true);
        e3 = addChildBlock("e3", conv(2 * w, 4 * w, 4, 2, 1));
        norms[2] = addBatchNorm("n3", 4 * w, true);
        c1 = addChildBlock("c1", conv(4 * w, 4 * w, 3, 1, 2));
        norms[3] = addBatchNorm("n4", 4 * w, true);
        c2 = addChildBlock("c2", conv(4 * w, 4 * w, 3, 1, 4));
        norms[4] = addBatchNorm("n5", 4 * w, true);
        d2 = addChildBlock("d2", conv(6 * w, 2 * w, 3, 1, 1));
        norms[5] = addBatchNorm("n6", 2 * w, true);
        d1 = addChildBlock("d1", conv(3 * w, w, 3, 1, 1));
        norms[6] = addBatchNorm("n7", w, true);
        out = addChildBlock("out", conv(w, o.numClasses() + 1, 1, 1, 1));
    }

    /** Options for a segmenter of {@code classes} label channels, width {@code width}, trained at {@code resolution}. */
    public static ModelOptions options(int classes, int width, int resolution) {
        return ModelOptions.tiny().withNumClasses(classes).withNgf(width).withResolution(resolution);
    }

    /** A plain (not spectrally normalised) He-initialised conv; padding keeps the size (stride 1) or halves it. */
    private static SpectralConv2d conv(int in, int out, int kernel, int stride, int dilation) {
        int padding = kernel == 4 ? 1 : dilation * (kernel / 2);
        return SpectralConv2d.builder(in, out).kernel(kernel).stride(stride).padding(padding).dilation(dilation).build();
    }

    /** Builds a segmenter from a checkpoint's options and loads its parameters. */
    public static Segmenter load(Path file, NDManager manager) throws IOException {
        return load(file, manager, Segmenter::new);
    }

    /** Label classes including background: the logits' channels. */
    public int classes() {
        return options().numClasses() + 1;
    }

    @Override
    public Shape[] inputShapes(int batch) {
        int r = options().resolution();
        return new Shape[] {new Shape(batch, 3, r, r)};
    }

    @Override
    NDList forwardScoped(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        expectChannels("Segmenter", "image", x, 3);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        if (h % 4 != 0 || wd % 4 != 0) {
            throw new IllegalArgumentException("Segmenter: image sides must divide by 4, got " + x.getShape());
        }
        NDArray f1 = block(0, e1, ps, training, x);
        NDArray f2 = block(1, e2, ps, training, f1);
        NDArray f = block(2, e3, ps, training, f2);
        f = block(3, c1, ps, training, f);
        f = block(4, c2, ps, training, f);
        f = Resize.nearest(f, (int) h / 2, (int) wd / 2);
        f = block(5, d2, ps, training, NDArrays.concat(new NDList(f, f2), 1));
        f = Resize.nearest(f, (int) h, (int) wd);
        f = block(6, d1, ps, training, NDArrays.concat(new NDList(f, f1), 1));
        return new NDList(stage("logits", call(out, ps, training, f)));
    }

    private NDArray block(int i, SpectralConv2d conv, ParameterStore ps, boolean training, NDArray x) {
        return lrelu(call(norms[i], ps, training, call(conv, ps, training, x)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), classes(), s.get(2), s.get(3))};
    }
}
