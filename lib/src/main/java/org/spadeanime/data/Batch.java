package org.spadeanime.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A batch as float32 tensors on the device of the manager it was made with:
 * {@link #label()} (B, C, H, W) one-hot, {@link #condition()} (B, 3, H, W) in [0, 1] (hair-colour map
 * × hair mask), {@link #target()} (B, 3, H, W) in [-1, 1]. The arrays are attached to that manager;
 * {@link #close()} frees them (results of operations on them belong to the caller's manager as
 * usual).
 */
public final class Batch implements AutoCloseable {

    private final NDArray label;
    private final NDArray condition;
    private final NDArray target;
    private final List<Sample> samples;

    private Batch(NDArray label, NDArray condition, NDArray target, List<Sample> samples) {
        this.label = label;
        this.condition = condition;
        this.target = target;
        this.samples = samples;
    }

    /** Stacks samples of one size (and one palette) into tensors on {@code manager}'s device. */
    public static Batch of(List<Sample> samples, NDManager manager) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        Sample first = samples.get(0);
        int h = first.label().height();
        int w = first.label().width();
        int c = first.label().channels();
        int plane = h * w;
        boolean targets = first.hasTarget();
        int b = samples.size();
        float[] lab = new float[b * c * plane];
        float[] cond = new float[b * 3 * plane];
        float[] tgt = targets ? new float[b * 3 * plane] : null;
        for (int i = 0; i < b; i++) {
            Sample s = samples.get(i);
            if (s.label().height() != h || s.label().width() != w || s.label().channels() != c || s.hasTarget() != targets) {
                throw new IllegalArgumentException("sample " + s.name() + " does not match " + first.name()
                        + " (size, classes or target); a batch needs alike samples");
            }
            s.label().oneHotInto(lab, i * c * plane);
            System.arraycopy(s.condition(), 0, cond, i * 3 * plane, 3 * plane);
            if (targets) {
                System.arraycopy(s.target(), 0, tgt, i * 3 * plane, 3 * plane);
            }
        }
        NDArray l = manager.create(lab, new Shape(b, c, h, w));
        NDArray co = manager.create(cond, new Shape(b, 3, h, w));
        NDArray t = targets ? manager.create(tgt, new Shape(b, 3, h, w)) : null;
        return new Batch(l, co, t, List.copyOf(samples));
    }

    /** (B, C, H, W) float32 one-hot label; background pixels are all zero. */
    public NDArray label() {
        return label;
    }

    /** (B, 3, H, W) float32 in [0, 1]: the hair-colour map times the hair mask. */
    public NDArray condition() {
        return condition;
    }

    /** (B, 3, H, W) float32 in [-1, 1]: the illustrations. */
    public NDArray target() {
        if (target == null) {
            throw new IllegalStateException("this batch holds prediction inputs, which have no target image");
        }
        return target;
    }

    public boolean hasTarget() {
        return target != null;
    }

    /** The sample names, in batch order. */
    public List<String> names() {
        return samples.stream().map(Sample::name).toList();
    }

    /** The samples the batch was made of (label maps for tiles, hair colours). */
    public List<Sample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    @Override
    public void close() {
        label.close();
        condition.close();
        if (target != null) {
            target.close();
        }
    }
}
