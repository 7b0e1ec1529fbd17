package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;

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
    HINGE {
        @Override
        NDArray realTerm(NDArray d) {
            return Activation.relu(d.neg().add(1f)).mean();
        }

        @Override
        NDArray fakeTerm(NDArray d) {
            return Activation.relu(d.add(1f)).mean();
        }

        @Override
        public NDArray gLoss(NDArray fakeLogits) {
            return fakeLogits.mean().neg();
        }
    },
    BCE {
        @Override
        NDArray realTerm(NDArray d) {
            return Activation.softPlus(d.neg()).mean();
        }

        @Override
        NDArray fakeTerm(NDArray d) {
            return Activation.softPlus(d).mean();
        }

        @Override
        public NDArray gLoss(NDArray fakeLogits) {
            return realTerm(fakeLogits);
        }
    },
    MSE {
        @Override
        NDArray realTerm(NDArray d) {
            return d.sub(1f).square().mean();
        }

        @Override
        NDArray fakeTerm(NDArray d) {
            return d.square().mean();
        }

        @Override
        public NDArray gLoss(NDArray fakeLogits) {
            return realTerm(fakeLogits);
        }
    },
    WGAN {
        @Override
        NDArray realTerm(NDArray d) {
            return d.mean().neg();
        }

        @Override
        NDArray fakeTerm(NDArray d) {
            return d.mean();
        }

        @Override
        public NDArray gLoss(NDArray fakeLogits) {
            return realTerm(fakeLogits);
        }

        @Override
        NDArray combine(NDArray real, NDArray fake) {
            return real.add(fake);
        }
    };

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
        NDArray real = realTerm(realLogits);
        NDArray fake = fakeTerm(fakeLogits);
        return new DTerms(real, fake, combine(real, fake));
    }

    /** G's loss for D's logits of generated images. */
    public abstract NDArray gLoss(NDArray fakeLogits);

    abstract NDArray realTerm(NDArray realLogits);

    abstract NDArray fakeTerm(NDArray fakeLogits);

    /** The original averages the two terms for every mode but WGAN. */
    NDArray combine(NDArray real, NDArray fake) {
        return real.add(fake).mul(0.5f);
    }

    /** Parses hinge, bce, mse or wgan (case-insensitive), the original's option values. */
    public static AdversarialLoss parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "adversarial loss '" + name + "': expected hinge, bce, mse or wgan", e);
        }
    }
}
