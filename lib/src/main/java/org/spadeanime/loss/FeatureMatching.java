package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;

/**
 * Feature matching (pix2pixHD), the reference's {@code fm_coef} term of G's loss:
 * <pre>  L_FM = coef · (1/n) Σ_i mean |D_i(real) − D_i(fake)|</pre>
 * over D's n intermediate feature maps (the patch discriminator returns 5). The real side is
 * detached, so only G (through the fake side) receives gradient.
 */
public final class FeatureMatching {

    private final float coefficient;

    /** The reference's default, coefficient 10. */
    public FeatureMatching() {
        this(10f);
    }

    public FeatureMatching(float coefficient) {
        if (!(coefficient >= 0f) || Float.isInfinite(coefficient)) {
            throw new IllegalArgumentException("feature matching coefficient " + coefficient + ": expected a finite value >= 0");
        }
        this.coefficient = coefficient;
    }

    public float coefficient() {
        return coefficient;
    }

    /** The weighted loss between matching lists of feature maps (same length and shapes). */
    public NDArray loss(NDList realFeatures, NDList fakeFeatures) {
        if (realFeatures.size() != fakeFeatures.size() || realFeatures.isEmpty()) {
            throw new IllegalArgumentException("feature matching: " + realFeatures.size() + " real and "
                    + fakeFeatures.size() + " fake feature maps; expected the same non-zero number");
        }
        NDArray sum = null;
        for (int i = 0; i < realFeatures.size(); i++) {
            NDArray real = realFeatures.get(i);
            NDArray fake = fakeFeatures.get(i);
            if (!real.getShape().equals(fake.getShape())) {
                throw new IllegalArgumentException("feature matching: feature " + i + " has shape "
                        + real.getShape() + " (real) and " + fake.getShape() + " (fake)");
            }
            NDArray term = fake.sub(real.stopGradient()).abs().mean();
            sum = sum == null ? term : sum.add(term);
        }
        // Scalar via full(), not mul(float): DJL frees a Number operand's Java buffer while autograd still reads it.
        return sum.mul(sum.getManager().full(new Shape(), coefficient / realFeatures.size()));
    }

    /**
     * The weighted loss from two discriminator outputs NDList(logits, f1, ..., fn): the logits
     * (index 0) are skipped.
     */
    public NDArray lossFromOutputs(NDList realOutput, NDList fakeOutput) {
        return loss(realOutput.subNDList(1), fakeOutput.subNDList(1));
    }
}
