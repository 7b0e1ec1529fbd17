package org.spadeanime.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import org.spadeanime.DjlRuntime;
import org.spadeanime.NumericsCheck;
import org.spadeanime.infer.BufferSnapshot;
import org.spadeanime.infer.NoGrad;
import org.spadeanime.loss.AdversarialLoss;
import org.spadeanime.loss.FeatureMatching;
import org.spadeanime.loss.GradientPenalty;
import org.spadeanime.loss.PerceptualLoss;
import org.spadeanime.model.PatchDiscriminator;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.model.SpadeNetwork;
import org.spadeanime.optim.Adam;
import org.spadeanime.optim.PolySchedule;

/**
 * The GAN updates of the original, on a generator, a discriminator and one Adam per network.
 *
 * <p>One {@link #iteration} = n_dis D updates, each on a fresh batch, then one G update on a fresh
 * batch; with a rough feed, the same updates follow on rough batches with the loss scaled by the
 * rough weight. The learning rates follow the poly schedule, re-evaluated from the number of
 * completed iterations, and the engine's RNG (noise injection) is re-seeded from (seed, iteration)
 * at the start of each iteration, so a run is deterministic on the CPU and a resumed run continues
 * exactly as an uninterrupted one would.
 *
 * <ul>
 *   <li>D update: fake = G(label, condition) without autograd (G is not part of D's graph);
 *       loss = adversarial(real, fake) + γ/2·penalty, the penalty on D's input gradient at the real
 *       (and/or fake) images, through {@link GradientPenalty}'s double backward.</li>
 *   <li>G update: D's trainable parameters are frozen ({@link Parameter#freeze}), so backward
 *       writes no gradient into D (DJL's collectors accumulate and never zero); loss = adversarial
 *       + feature matching against D's features of the real images (no graph: D is frozen and the
 *       real images need no gradient) + l1Coef·mean|fake − real| (pix2pix's L1, off by default)
 *       + perceptual.</li>
 * </ul>
 *
 * <p>Memory: each update runs in its own sub-manager of the trainer's manager, created before the
 * batch and closed after the optimizer step; network outputs and loss terms land there (the model
 * blocks attach outputs to their first input's manager), so the managed-array count of
 * {@link #manager()} is the same after every iteration.
 *
 * <p>A non-finite loss term throws {@link NonFiniteLossException} before any update from that
 * batch ({@link TrainOptions.NanPolicy#STOP}), or is skipped: no backward, no optimizer step, and
 * the batch-norm statistics and spectral-norm vectors its forwards changed are restored
 * ({@link TrainOptions.NanPolicy#SKIP}).
 */
public final class Trainer implements AutoCloseable {

    /** Adam's ε (torch's default). */
    public static final double ADAM_EPSILON = 1e-8;

    /** One D update's terms (unweighted by the rough weight). */
    public record DResult(double real, double fake, double penalty, double total, boolean skipped) {}

    /** One G update's terms (unweighted by the rough weight). */
    public record GResult(double adversarial, double featureMatching, double l1, double perceptual, double total,
                          boolean skipped) {}

    /**
     * One update's loss values by name ({@link StepMetrics}' names, which a NaN stop reports), in
     * order; a term that is off (null) is NaN and never counted as non-finite.
     */
    private static final class Terms {
        private final Map<String, Double> values = new LinkedHashMap<>();
        private final Set<String> on = new HashSet<>();

        Terms put(String name, NDArray value) {
            values.put(name, value == null ? Double.NaN : value.getFloat());
            if (value != null) {
                on.add(name);
            }
            return this;
        }

        double get(String name) {
            return values.get(name);
        }

        /** The first term that is on and NaN or infinite; null if none. */
        String firstNonFinite() {
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (on.contains(e.getKey()) && !Double.isFinite(e.getValue())) {
                    return e.getKey();
                }
            }
            return null;
        }

        DResult dResult(boolean skipped) {
            return new DResult(get(StepMetrics.D_REAL), get(StepMetrics.D_FAKE), get(StepMetrics.D_PENALTY),
                    get(StepMetrics.D_TOTAL), skipped);
        }

        GResult gResult(boolean skipped) {
            return new GResult(get(StepMetrics.G_ADVERSARIAL), get(StepMetrics.G_FEATURE_MATCHING),
                    get(StepMetrics.G_L1), get(StepMetrics.G_PERCEPTUAL), get(StepMetrics.G_TOTAL), skipped);
        }
    }

    private final TrainOptions options;
    private final Device device;
    private final NDManager manager;
    private final SpadeGenerator generator;
    private final PatchDiscriminator discriminator;
    /** The moving average of G (null: emaDecay 0). */
    private final GeneratorEma ema;
    private final ParameterStore store;
    private final Adam adamG;
    private final Adam adamD;
    private final PolySchedule scheduleG;
    private final PolySchedule scheduleD;
    private final AdversarialLoss adversarial;
    private final GradientPenalty penalty;
    private final FeatureMatching featureMatching;
    private final PerceptualLoss perceptual;
    private final Consumer<String> messages;
    private long step;
    private int consecutiveSkips;
    private String lastSkip;
    private boolean explosionWarned;
    /** Fault injection for tests: runs on a network after its backward, before the gradient check. */
    java.util.function.Consumer<SpadeNetwork> gradientFault;

    /** nanPolicy skip stops after this many iterations in a row that skipped an update. */
    static final int MAX_CONSECUTIVE_SKIPS = 10;
    /** A finite loss above this warns once: the run diverges. */
    static final double LOSS_WARNING = 1e4;

    /** Builds and initialises both networks (seeded by {@code options.seed()}) and the optimizers. */
    public Trainer(TrainOptions options) throws IOException {
        this(options, LoggerFactory.getLogger(Trainer.class)::warn);
    }

    /**
     * Like {@link #Trainer(TrainOptions)}, with notes (a missing VGG file, said once; skipped
     * updates) going to {@code messages}.
     */
    public Trainer(TrainOptions options, Consumer<String> messages) throws IOException {
        this.options = options;
        this.messages = messages;
        DjlRuntime.threads(options.threads());
        DjlRuntime.init();
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads()); // in case the engine was already running
        }
        device = DjlRuntime.device(options.device());
        // Refuses to train on a device whose libtorch computes wrong numbers (cached: once per JVM).
        NumericsCheck.require(device);
        manager = NDManager.newBaseManager(device);
        manager.setName("trainer");
        try {
            // First what can fail on user input (a damaged VGG file); then the rest.
            perceptual = options.perceptualCoef() > 0
                    ? PerceptualLoss.loadOrNull(options.vggWeights(), options.perceptualArch(),
                            options.perceptualCriterion(), (float) options.perceptualCoef(), manager, messages)
                    : null;
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        Engine.getInstance().setRandomSeed(iterationSeed(options.seed(), 0));
        generator = new SpadeGenerator(options.model());
        generator.initialize(manager);
        discriminator = new PatchDiscriminator(options.model());
        discriminator.initialize(manager);
        // After both networks: its initialisation draws from the engine's RNG, re-seeded per iteration.
        ema = options.emaDecay() > 0 ? new GeneratorEma(generator, options.emaDecay(), manager) : null;
        store = new ParameterStore(manager, false);
        adamG = new Adam(manager, options.lrG(), options.beta1G(), options.beta2G(), ADAM_EPSILON);
        adamD = new Adam(manager, options.lrD(), options.beta1D(), options.beta2D(), ADAM_EPSILON);
        scheduleG = schedule(options.lrG());
        scheduleD = schedule(options.lrD());
        adversarial = options.adversarial();
        featureMatching = new FeatureMatching((float) options.fmCoef());
        penalty = GradientPenalty.create(options.gpForm(), options.gpTarget(), (float) options.gpCoef());
    }

    private PolySchedule schedule(double rate) {
        return options.polyDecay()
                ? new PolySchedule(rate, options.iterations(), options.polyStart(), 0.9, options.polyInterval())
                : null;
    }

    public TrainOptions options() {
        return options;
    }

    public Device device() {
        return device;
    }

    /** The long-lived manager: parameters, optimizer state, and (briefly) each update's sub-manager. */
    public NDManager manager() {
        return manager;
    }

    public SpadeGenerator generator() {
        return generator;
    }

    public PatchDiscriminator discriminator() {
        return discriminator;
    }

    /** The moving average of the generator, or null when {@code emaDecay} is 0. */
    public GeneratorEma ema() {
        return ema;
    }

    /** The generator to draw with (tiles, evaluation): the moving average where there is one, else G. */
    public SpadeGenerator drawingGenerator() {
        return ema != null ? ema.generator() : generator;
    }

    public Adam adamG() {
        return adamG;
    }

    public Adam adamD() {
        return adamD;
    }

    /** Whether the perceptual term is on (a coefficient > 0 and the VGG weights were found). */
    public boolean hasPerceptual() {
        return perceptual != null;
    }

    /** Completed iterations. */
    public long step() {
        return step;
    }

    /** Sets the completed-iteration count (after loading a checkpoint). */
    public void setStep(long completed) {
        if (completed < 0) {
            throw new IllegalArgumentException("step " + completed + ": expected >= 0");
        }
        step = completed;
    }

    /**
     * One iteration: n_dis D updates and one G update on fresh batches of {@code train}, then the
     * same on {@code rough} (null: none) with the loss scaled by the rough weight.
     */
    public StepMetrics iteration(TrainingFeed train, TrainingFeed rough) throws IOException {
        long t0 = System.nanoTime();
        long number = step + 1;
        double lrG = scheduleG == null ? options.lrG() : scheduleG.rate(step);
        double lrD = scheduleD == null ? options.lrD() : scheduleD.rate(step);
        adamG.setLearningRate(lrG);
        adamD.setLearningRate(lrD);
        Engine.getInstance().setRandomSeed(iterationSeed(options.seed(), number));
        double dReal = 0;
        double dFake = 0;
        double dPenalty = 0;
        double dTotal = 0;
        int skipped = 0;
        for (int k = 0; k < options.nDis(); k++) {
            DResult r = dUpdate(train, 1f, number, "");
            skipped += r.skipped() ? 1 : 0;
            dReal += r.real() / options.nDis();
            dFake += r.fake() / options.nDis();
            dPenalty += r.penalty() / options.nDis();
            dTotal += r.total() / options.nDis();
        }
        GResult g = gUpdate(train, 1f, number, "");
        skipped += g.skipped() ? 1 : 0;
        double roughD = Double.NaN;
        double roughG = Double.NaN;
        if (rough != null) {
            float w = (float) options.roughWeight();
            roughD = 0;
            for (int k = 0; k < options.nDis(); k++) {
                DResult r = dUpdate(rough, w, number, " (rough)");
                skipped += r.skipped() ? 1 : 0;
                roughD += r.total() / options.nDis();
            }
            GResult rg = gUpdate(rough, w, number, " (rough)");
            skipped += rg.skipped() ? 1 : 0;
            roughG = rg.total();
        }
        if (ema != null) {
            ema.update(generator, number);
        }
        step = number;
        consecutiveSkips = skipped > 0 ? consecutiveSkips + 1 : 0;
        if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
            throw NonFiniteLossException.tooManySkips(number, consecutiveSkips, lastSkip);
        }
        warnIfExploding(number, StepMetrics.D_TOTAL, dTotal);
        warnIfExploding(number, StepMetrics.G_TOTAL, g.total());
        return new StepMetrics(number, dReal, dFake, dPenalty, dTotal, g.adversarial(), g.featureMatching(),
                g.l1(), g.perceptual(), g.total(), roughD, roughG, lrG, lrD, (System.nanoTime() - t0) / 1e9, skipped);
    }

    private DResult dUpdate(TrainingFeed feed, float weight, long number, String tag) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDList b = feed.next(m);
            return discriminatorStep(b.get(0), b.get(1), b.get(2), weight, number, tag);
        }
    }

    private GResult gUpdate(TrainingFeed feed, float weight, long number, String tag) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDList b = feed.next(m);
            return generatorStep(b.get(0), b.get(1), b.get(2), weight, number, tag);
        }
    }

    /** One D update on a batch (arrays and results in the caller's manager); see the class comment. */
    public DResult discriminatorStep(NDArray label, NDArray condition, NDArray real) {
        return discriminatorStep(label, condition, real, 1f, step + 1, "");
    }

    /** One G update on a batch (arrays and results in the caller's manager); see the class comment. */
    public GResult generatorStep(NDArray label, NDArray condition, NDArray real) {
        return generatorStep(label, condition, real, 1f, step + 1, "");
    }

    private DResult discriminatorStep(NDArray label, NDArray condition, NDArray real, float weight, long number,
                                      String tag) {
        try (BufferSnapshot undo = skipSnapshot()) {
            NDArray fake;
            try (NoGrad ng = NoGrad.enter()) {
                fake = generator.forward(store, new NDList(label, condition), true).head();
            }
            Terms v;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // Detached aliases: the penalty needs ∂D/∂x, and the caller's arrays stay untouched.
                NDArray x = penaltyInput(real, penalty.onReal());
                NDArray f = penaltyInput(fake, penalty.onFake());
                NDArray realLogits = discriminator.forward(store, new NDList(label, x, condition), true).head();
                NDArray fakeLogits = discriminator.forward(store, new NDList(label, f, condition), true).head();
                AdversarialLoss.DTerms t = adversarial.dLoss(realLogits, fakeLogits);
                NDArray gp = penalty.term(penalty.onReal() ? penalty.penalty(realLogits, x) : null,
                        penalty.onFake() ? penalty.penalty(fakeLogits, f) : null);
                NDArray total = gp == null ? t.total() : t.total().add(gp);
                v = new Terms().put(StepMetrics.D_REAL, t.real()).put(StepMetrics.D_FAKE, t.fake())
                        .put(StepMetrics.D_PENALTY, gp).put(StepMetrics.D_TOTAL, total);
                String bad = v.firstNonFinite();
                if (bad != null) {
                    stopOrRestore(bad + tag, number, v.get(bad), undo);
                    return v.dResult(true);
                }
                gc.backward(weight == 1f ? total : times(total, weight));
            }
            if (!gradientsFinite(discriminator, "D" + tag, number, v.get(StepMetrics.D_TOTAL), undo)) {
                return v.dResult(true);
            }
            adamD.update(discriminator);
            return v.dResult(false);
        }
    }

    private GResult generatorStep(NDArray label, NDArray condition, NDArray real, float weight, long number,
                                  String tag) {
        try (BufferSnapshot undo = skipSnapshot()) {
            Terms v;
            discriminator.setFrozen(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = generator.forward(store, new NDList(label, condition), true).head();
                NDList dFake = discriminator.forward(store, new NDList(label, fake, condition), true);
                NDArray adv = adversarial.gLoss(dFake.head());
                NDArray total = adv;
                NDArray fm = null;
                if (options.fmCoef() > 0) {
                    NDList dReal = discriminator.forward(store, new NDList(label, real, condition), true);
                    fm = featureMatching.lossFromOutputs(dReal, dFake);
                    total = total.add(fm);
                }
                NDArray l1 = null;
                if (options.l1Coef() > 0) {
                    l1 = times(fake.sub(real).abs().mean(), options.l1Coef());
                    total = total.add(l1);
                }
                NDArray perc = perceptual == null ? null : perceptual.loss(real, fake);
                if (perc != null) {
                    total = total.add(perc);
                }
                v = new Terms().put(StepMetrics.G_ADVERSARIAL, adv).put(StepMetrics.G_FEATURE_MATCHING, fm)
                        .put(StepMetrics.G_L1, l1).put(StepMetrics.G_PERCEPTUAL, perc).put(StepMetrics.G_TOTAL, total);
                String bad = v.firstNonFinite();
                if (bad != null) {
                    stopOrRestore(bad + tag, number, v.get(bad), undo);
                    return v.gResult(true);
                }
                gc.backward(weight == 1f ? total : times(total, weight));
            } finally {
                discriminator.setFrozen(false);
            }
            if (!gradientsFinite(generator, "G" + tag, number, v.get(StepMetrics.G_TOTAL), undo)) {
                return v.gResult(true);
            }
            adamG.update(generator);
            return v.gResult(false);
        }
    }

    /**
     * x·v for a graph tensor. Not {@code x.mul(v)}: DJL wraps a Number in an array over a Java
     * buffer and closes it at once, but autograd keeps reading it in backward — after a GC, from
     * freed memory (measured: gradients off by 10⁶). {@code full} makes a torch-owned scalar.
     */
    static NDArray times(NDArray x, double v) {
        return x.mul(x.getManager().full(new Shape(), (float) v));
    }

    private static NDArray penaltyInput(NDArray x, boolean penalised) {
        if (!penalised) {
            return x;
        }
        NDArray alias = x.stopGradient();
        alias.setRequiresGradient(true);
        return alias;
    }

    private BufferSnapshot skipSnapshot() {
        if (options.nanPolicy() != TrainOptions.NanPolicy.SKIP) {
            return null;
        }
        return new BufferSnapshot(manager, generator, discriminator);
    }

    /**
     * Whether {@code net}'s gradients are finite after a finite loss; if not, they are zeroed (the
     * collector would carry them into the next step) and the update stops or is skipped.
     */
    private boolean gradientsFinite(SpadeNetwork net, String who, long number, double loss, BufferSnapshot undo) {
        if (gradientFault != null) {
            gradientFault.accept(net);
        }
        if (Adam.gradientsFinite(net.getParameters())) {
            return true;
        }
        Adam.zeroGradients(net);
        stopOrRestore(NonFiniteLossException.gradients(who, number, loss), undo);
        return false;
    }

    /** Throws (nanPolicy stop: {@code undo} is null) or undoes the forwards' buffer changes (skip). */
    private void stopOrRestore(String term, long number, double value, BufferSnapshot undo) {
        stopOrRestore(new NonFiniteLossException(term, number, value), undo);
    }

    private void stopOrRestore(NonFiniteLossException e, BufferSnapshot undo) {
        if (undo == null) {
            throw e;
        }
        undo.restore();
        lastSkip = e.getMessage();
        messages.accept("skipped an update (nanPolicy skip): " + e.getMessage());
    }

    /** Says once per trainer that a finite loss has grown past {@link #LOSS_WARNING}: training is diverging. */
    private void warnIfExploding(long number, String term, double value) {
        if (explosionWarned || !Double.isFinite(value) || Math.abs(value) <= LOSS_WARNING) {
            return;
        }
        explosionWarned = true;
        messages.accept(String.format(java.util.Locale.ROOT, "warning: loss '%s' is %.3g at step %d (hinge, feature "
                + "matching and perceptual terms stay below ~10 in a healthy run): training is diverging. Likely "
                + "causes: the learning rates (lrG %s, lrD %s; the presets use lrG %s to %s and lrD %s), then the "
                + "data. Said once.", term, value, number, options.lrG(), options.lrD(), TrainOptions.paper().lrG(),
                TrainOptions.tiny().lrG(), TrainOptions.tiny().lrD()));
    }

    /** The engine seed of an iteration (0: the initial weights), a SplitMix64 mix of both. */
    static int iterationSeed(long seed, long iteration) {
        long z = seed * 0x9E3779B97F4A7C15L + iteration * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31)) & 0x7fffffff;
    }

    @Override
    public void close() {
        if (perceptual != null) {
            perceptual.close();
        }
        penalty.close();
        if (ema != null) {
            ema.close();
        }
        adamG.close();
        adamD.close();
        manager.close();
    }
}
