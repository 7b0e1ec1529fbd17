package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.function.UnaryOperator;

/**
 * The adversarial objectives of the reference (its {@code adv_loss_mode}), on discriminator logits
 * of any shape (patch logits included); every term is a mean over all elements.
 *
 * <p>D side: {@link #dLoss} reports the real and the fake term separately and their combination
 * as the original does: the average {@code (real + fake) / 2} for hinge, BCE and MSE, the plain
 * sum {@code -E[D(real)] + E[D(fake)]} for WGAN. G side: {@link #gLoss}.
 *
 * <table>
 * <caption>Terms</caption>
 * <tr><th>mode</th><th>D real term</th><th>D fake term</th><th>G term</th></tr>
 * <tr><td>HINGE (default)</td><td>E[relu(1 − D(x))]</td><td>E[relu(1 + D(G(z)))]</td><td>−E[D(G(z))]</td></tr>
 * <tr><td>BCE</td><td>E[softplus(−D(x))]</td><td>E[softplus(D(G(z)))]</td><td>E[softplus(−D(G(z)))]</td></tr>
 * <tr><td>MSE (LSGAN)</td><td>E[(D(x) − 1)²]</td><td>E[D(G(z))²]</td><td>E[(D(G(z)) − 1)²]</td></tr>
 * <tr><td>WGAN</td><td>−E[D(x)]</td><td>E[D(G(z))]</td><td>−E[D(G(z))]</td></tr>
 * </table>
 *
 * <p>Results are created by the logits' manager (put per-step arrays in a per-step manager).
 */
public enum AdversarialLoss {
    HINGE(d -> Activation.relu(d.neg().add(1f)).mean(), d -> Activation.relu(d.add(1f)).mean(),
            f -> f.mean().neg(), true),
    BCE(d -> Activation.softPlus(d.neg()).mean(), d -> Activation.softPlus(d).mean(),
            f -> Activation.softPlus(f.neg()).mean(), true),
    MSE(d -> d.sub(1f).square().mean(), d -> d.square().mean(), f -> f.sub(1f).square().mean(), true),
    WGAN(d -> d.mean().neg(), d -> d.mean(), f -> f.mean().neg(), false);

    private final UnaryOperator<NDArray> realTerm;
    private final UnaryOperator<NDArray> fakeTerm;
    private final UnaryOperator<NDArray> generatorTerm;
    private final boolean averaged;

    AdversarialLoss(UnaryOperator<NDArray> realTerm, UnaryOperator<NDArray> fakeTerm,
            UnaryOperator<NDArray> generatorTerm, boolean averaged) {
        this.realTerm = realTerm;
        this.fakeTerm = fakeTerm;
        this.generatorTerm = generatorTerm;
        this.averaged = averaged;
    }

    /**
     * The discriminator's loss terms.
     *
     * @param real the term on real images
     * @param fake the term on generated images
     * @param total what D minimises (before any gradient penalty)
     */
    public record DTerms(NDArray real, NDArray fake, NDArray total) {}

    /** D's loss for logits of real and of generated images (detach the generated images first). */
    public DTerms dLoss(NDArray realLogits, NDArray fakeLogits) {
        NDArray real = realTerm.apply(realLogits);
        NDArray fake = fakeTerm.apply(fakeLogits);
        // The original averages the two terms for every mode but WGAN.
        // Scalar via full(), not mul(float): DJL frees a Number operand's Java buffer while autograd still reads it.
        NDArray total = averaged ? real.add(fake).mul(real.getManager().full(new Shape(), 0.5f)) : real.add(fake);
        return new DTerms(real, fake, total);
    }

    /** G's loss for D's logits of generated images. */
    public NDArray gLoss(NDArray fakeLogits) {
        return generatorTerm.apply(fakeLogits);
    }
}
