package org.spadeanime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The reference's VGG perceptual loss ({@code perceptual_coef}, {@code perceptual_mode},
 * {@code perceptual_model}):
 * <pre>  L_P = c · Σ_i w_i · crit(φ_i(real), φ_i(fake)) / 255</pre>
 * with φ_i the VGG ReLU outputs of {@link Vgg.Arch#perceptualLayers()}, weights
 * w = 1/32, 1/16, 1/8, 1/4, 1, images preprocessed the Caffe way ({@link Vgg#preprocess}), crit
 * the mean absolute error (MAE, default) or mean squared error (MSE, then c is halved as in the
 * original), and the real side detached. c = 10 by default.
 *
 * <p>Pretrained weights are a file (see {@link #loadOrNull}); the loss owns the {@link Vgg} and
 * closes it.
 */
public final class PerceptualLoss implements AutoCloseable {

    /** The reference's layer weights, shallow to deep. */
    public static final List<Float> LAYER_WEIGHTS = List.of(1f / 32, 1f / 16, 1f / 8, 1f / 4, 1f);

    /** How feature differences are measured. */
    public enum Criterion {
        MAE,
        MSE;
    }

    private final Vgg vgg;
    private final List<String> layers;
    private final Criterion criterion;
    private final float coefficient;

    /** The reference's loss on {@code vgg}'s perceptual layers. */
    public PerceptualLoss(Vgg vgg, Criterion criterion, float coefficient) {
        this(vgg, vgg.arch().perceptualLayers(), criterion, coefficient);
    }

    /** The loss on five chosen layers (shallow to deep, weighted by {@link #LAYER_WEIGHTS}). */
    public PerceptualLoss(Vgg vgg, List<String> layers, Criterion criterion, float coefficient) {
        if (layers.size() != LAYER_WEIGHTS.size()) {
            throw new IllegalArgumentException("perceptual loss: " + layers.size() + " layers given, expected "
                    + LAYER_WEIGHTS.size() + " (one per weight 1/32 ... 1)");
        }
        if (!(coefficient >= 0f) || Float.isInfinite(coefficient)) {
            throw new IllegalArgumentException("perceptual coefficient " + coefficient + ": expected a finite value >= 0");
        }
        this.vgg = vgg;
        this.layers = List.copyOf(layers);
        this.criterion = criterion;
        this.coefficient = coefficient;
    }

    /** The missing weights files (and architectures) already reported in this JVM. */
    private static final java.util.Set<String> WARNED_MISSING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Loads the VGG weights file and builds the loss, or, when the file does not exist, tells
     * {@code warn} (once per JVM and file) why the term is off and how to produce the file, and returns null so
     * training runs without it. A file that exists but is not valid is an error, not a skip.
     */
    public static PerceptualLoss loadOrNull(Path weights, Vgg.Arch arch, Criterion criterion, float coefficient,
            NDManager manager, Consumer<String> warn) throws IOException {
        if (!Files.exists(weights)) {
            // once per JVM and file: a notebook kernel trains many times, the five lines would repeat each time
            if (WARNED_MISSING.add(weights.toAbsolutePath().normalize() + " " + arch)) {
                warn.accept(missingWeightsMessage(weights, arch));
            }
            return null;
        }
        return new PerceptualLoss(Vgg.load(weights, arch, manager), criterion, coefficient);
    }

    /** The message for a missing weights file: what is off, why, and the command that fixes it. */
    public static String missingWeightsMessage(Path weights, Vgg.Arch arch) {
        String a = arch.name().toLowerCase(Locale.ROOT);
        String caffemodel = arch == Vgg.Arch.VGG16 ? "VGG_ILSVRC_16_layers" : "VGG_ILSVRC_19_layers";
        return "Perceptual loss OFF: no " + arch + " weights at " + weights.toAbsolutePath()
                + ". Pretrained weights cannot be downloaded by the kit; on a machine with internet run\n"
                + "  wget https://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/" + caffemodel + ".caffemodel\n"
                + "  python3 weights/export_vgg.py caffe " + caffemodel + ".caffemodel --arch " + a + "\n"
                + "(or: python3 weights/export_vgg.py torchvision --arch " + a + ") and copy weights/" + a
                + ".safetensors here. Training continues without the perceptual term.";
    }

    /**
     * The weighted loss between real and generated images, both (B, 3, H, W) in [−1, 1]; only
     * {@code fake} receives gradient.
     */
    public NDArray loss(NDArray real, NDArray fake) {
        if (!real.getShape().equals(fake.getShape())) {
            throw new IllegalArgumentException("perceptual loss: real " + real.getShape() + " and fake "
                    + fake.getShape() + " differ in shape");
        }
        NDList realFeatures = vgg.features(vgg.preprocess(real.stopGradient()), layers);
        NDList fakeFeatures = vgg.features(vgg.preprocess(fake), layers);
        NDArray sum = null;
        for (int i = 0; i < layers.size(); i++) {
            NDArray diff = fakeFeatures.get(i).sub(realFeatures.get(i).stopGradient());
            NDArray err = (criterion == Criterion.MAE ? diff.abs() : diff.square()).mean();
            // Scalar via full(), not mul(float): DJL frees a Number operand's Java buffer while autograd still reads it.
            NDArray term = err.mul(err.getManager().full(new Shape(), LAYER_WEIGHTS.get(i)));
            sum = sum == null ? term : sum.add(term);
        }
        float c = criterion == Criterion.MSE ? coefficient * 0.5f : coefficient;
        return sum.mul(sum.getManager().full(new Shape(), c / 255f));
    }

    public Vgg vgg() {
        return vgg;
    }

    public List<String> layers() {
        return layers;
    }

    public Criterion criterion() {
        return criterion;
    }

    public float coefficient() {
        return coefficient;
    }

    @Override
    public void close() {
        vgg.close();
    }
}
