package org.spadeanime.loss;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;
import java.util.Locale;
import org.spadeanime.TorchScript;

/**
 * Zero-centred gradient penalty on the discriminator's input gradient (the reference's
 * {@code zero_gp_mode} / {@code gp_coef}).
 *
 * <p><b>R1</b> (Mescheder, Geiger and Nowozin, "Which Training Methods for GANs do actually
 * Converge?", ICML 2018, eq. 9) is
 * {@code R1(ψ) = γ/2 · E_{x∼p_D}[ ‖∇_x D_ψ(x)‖² ]}, where D is the discriminator's scalar logit
 * (before any sigmoid) and the norm is the Euclidean norm over all input elements. For a patch
 * discriminator the scalar is D̄, the mean of the sample's patch logits — the quantity the
 * adversarial losses average and the original's penalty differentiates — so {@link #penalty}
 * computes, for a batch of B samples,
 * <pre>  P_R1 = (1/B) Σ_b Σ_{c,h,w} ( ∂D̄_b/∂x_{b,c,h,w} )²</pre>
 * (batch norm in training mode couples the samples; the gradient is the true one of Σ_b D̄_b).
 * R2 is the same on generated images. Why the mean and not the sum of the patch logits: the sum
 * multiplies the penalty by the squared number of patches (196² at 128², 900² at 256²), so γ = 10
 * would mean something else at every resolution; in a 128² run it held D's logits at zero (D loss
 * 1.000 for 2,500 iterations, measured) while the mean form lets D learn. To reproduce a sum-form
 * R1, multiply γ by the squared number of patches.
 *
 * <p><b>{@link Form#SQUARED_SUM}</b> is the original Chainer code's form, kept for fidelity
 * experiments: with D̄_b the mean of sample b's patch logits,
 * <pre>  P_orig = (1/B) Σ_b ( Σ_{c,h,w} ∂D̄_b/∂x_{b,c,h,w} )²</pre>
 * — the square of a sum of signed gradients rather than a sum of squares, and over the patch mean
 * rather than the sum (the original ran with batch 1; the batch mean is our extension).
 *
 * <p><b>Weighting.</b> {@link #term} returns {@code γ/2 · (P_real + P_fake)} over the enabled
 * sides. That is Mescheder's γ/2 and also exactly what the original does for hinge/BCE/MSE
 * ({@code 0.5 · gp_coef · (real_gp + fake_gp)}, halved even when only the real side is on), so
 * γ = {@code gp_coef} = 10 reproduces it. (In WGAN mode the original drops the ½: pass 2·gp_coef.)
 *
 * <p><b>Use.</b> Inside the {@code GradientCollector} of the D step, call
 * {@code x.setRequiresGradient(true)} on D's image input before D's forward, then
 * {@code penalty(logits, x)}; add {@link #term} to D's loss and backpropagate once. The value is
 * differentiable with respect to every parameter of D (double backward), and D's graph stays
 * usable for the adversarial terms. It runs a small TorchScript module (a committed resource
 * made by {@code lib/src/main/python/make_gradient_penalty.py}) calling
 * {@code torch.autograd.grad(create_graph=True)}; DJL's own collector has no create_graph, and
 * {@code JniUtils.backward(.., createGraph)} leaks native memory. Results belong to the logits'
 * manager. PyTorch engine only. Close it when done (it holds the native module).
 */
public final class GradientPenalty implements AutoCloseable {

    /** Which per-sample quantity is penalised. */
    public enum Form {
        /** Mescheder et al.'s R1/R2: squared Euclidean norm of ∂D̄/∂x, D̄ = patch mean (default). */
        R1("gradient_penalty_r1.pt"),
        /** The original's (Σ ∂D̄/∂x)², D̄ = patch mean. */
        SQUARED_SUM("gradient_penalty_squared_sum.pt");

        private final String resource;

        Form(String resource) {
            this.resource = resource;
        }
    }

    /** Which images are penalised: the original's zero_gp_mode real | fake | real_fake. */
    public enum Target {
        REAL(true, false),
        FAKE(false, true),
        REAL_FAKE(true, true);

        private final boolean real;
        private final boolean fake;

        Target(boolean real, boolean fake) {
            this.real = real;
            this.fake = fake;
        }
    }

    private final Form form;
    private final Target target;
    private final float gamma;
    private final Model model;

    private GradientPenalty(Form form, Target target, float gamma, Model model) {
        this.form = form;
        this.target = target;
        this.gamma = gamma;
        this.model = model;
    }

    /** The reference's default: R1 on real images, γ = 10. */
    public static GradientPenalty create() {
        return create(Form.R1, Target.REAL, 10f);
    }

    /** Loads the TorchScript module for {@code form}; γ ≥ 0 (0 turns the term off). */
    public static GradientPenalty create(Form form, Target target, float gamma) {
        if (!(gamma >= 0f) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("gradient penalty gamma " + gamma + ": expected a finite value >= 0");
        }
        Model model = TorchScript.load("gradient-penalty-" + form.name().toLowerCase(Locale.ROOT),
                "/org/spadeanime/loss/" + form.resource);
        return new GradientPenalty(form, target, gamma, model);
    }

    public Form form() {
        return form;
    }

    public Target target() {
        return target;
    }

    public float gamma() {
        return gamma;
    }

    /** Whether the real images are penalised (call {@link #penalty} on D's real pass). */
    public boolean onReal() {
        return target.real && gamma > 0f;
    }

    /** Whether the generated images are penalised. */
    public boolean onFake() {
        return target.fake && gamma > 0f;
    }

    /**
     * The unweighted penalty P (see the class comment) of D's output {@code logits} (first axis =
     * batch) with respect to its input {@code x}, which must have had
     * {@code setRequiresGradient(true)} before D's forward; call inside the GradientCollector.
     * A scalar, differentiable with respect to D's parameters.
     */
    public NDArray penalty(NDArray logits, NDArray x) {
        if (!x.hasGradient()) {
            throw new IllegalArgumentException("gradient penalty: x has no gradient attached; call "
                    + "x.setRequiresGradient(true) before the discriminator's forward pass");
        }
        if (logits.getShape().dimension() < 1 || logits.getShape().get(0) != x.getShape().get(0)) {
            throw new IllegalArgumentException("gradient penalty: logits " + logits.getShape()
                    + " and x " + x.getShape() + " must share the batch axis");
        }
        try {
            return TorchScript.forward(model, logits.getManager(), new NDList(logits, x)).singletonOrThrow();
        } catch (EngineException e) {
            throw new IllegalStateException("gradient penalty: torch.autograd.grad failed (run it inside a "
                    + "GradientCollector, on logits computed from x in that collector): " + e.getMessage(), e);
        }
    }

    /**
     * The D-loss contribution γ/2 · (realPenalty + fakePenalty); pass null for a side that is not
     * penalised. Returns null when both are null.
     */
    public NDArray term(NDArray realPenalty, NDArray fakePenalty) {
        NDArray sum = realPenalty == null ? fakePenalty
                : fakePenalty == null ? realPenalty : realPenalty.add(fakePenalty);
        // Scalar via full(), not mul(float): DJL frees a Number operand's Java buffer while autograd still reads it.
        return sum == null ? null : sum.mul(sum.getManager().full(new Shape(), gamma / 2f));
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "GradientPenalty[" + form + " on " + target + ", gamma " + gamma + "]";
    }
}
