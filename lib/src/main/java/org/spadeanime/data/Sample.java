package org.spadeanime.data;

import org.spadeanime.label.LabelMap;

/**
 * One training (or prediction) example at the data set's resolution, as compact Java arrays that
 * a {@link Batch} turns into tensors: the label map (one byte per pixel), the condition (hair-colour
 * map × hair mask, (3, H, W) in [0, 1]) and the target illustration ((3, H, W) in [-1, 1]; null for
 * prediction inputs).
 *
 * @param hairRgb the flat hair colour used for the condition (0xRRGGBB), or -1 when the condition
 *                came from a colour-map image
 */
public record Sample(String name, LabelMap label, float[] condition, float[] target, int hairRgb,
                     boolean mirrored) {

    public Sample {
        int plane = label.width() * label.height();
        if (condition.length != 3 * plane || (target != null && target.length != 3 * plane)) {
            throw new IllegalArgumentException("sample " + name + ": arrays do not match the " + label.width() + "×"
                    + label.height() + " label");
        }
    }

    /** Side length in pixels. */
    public int size() {
        return label.height();
    }

    public boolean hasTarget() {
        return target != null;
    }

    /** The left–right mirror image (the original's augmentation). */
    public Sample mirror() {
        int w = label.width();
        return new Sample(name, label.mirrored(), mirrorPlanes(condition, w),
                target == null ? null : mirrorPlanes(target, w), hairRgb, !mirrored);
    }

    /**
     * A copy that asks for the flat hair colour {@code rgb} (0xRRGGBB): the condition holds it on the
     * hair pixels (one-hot channel {@code hairChannel}) and 0 elsewhere, as a painted colour map would.
     * The label and target are shared with this sample.
     */
    public Sample withHairColour(int rgb, int hairChannel) {
        float[] map = SampleDecoder.flat(rgb & 0xFFFFFF, label.width() * label.height());
        SampleDecoder.maskToHair(map, label, hairChannel);
        return new Sample(name, label, map, target, rgb & 0xFFFFFF, mirrored);
    }

    private static float[] mirrorPlanes(float[] src, int w) {
        float[] out = new float[src.length];
        for (int row = 0; row < src.length; row += w) {
            for (int x = 0; x < w; x++) {
                out[row + x] = src[row + w - 1 - x];
            }
        }
        return out;
    }
}
