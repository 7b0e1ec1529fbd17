package org.spadeanime.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.spadeanime.data.RunData;
import org.spadeanime.io.RecordJson;
import org.spadeanime.loss.AdversarialLoss;
import org.spadeanime.loss.GradientPenalty;
import org.spadeanime.loss.PerceptualLoss;
import org.spadeanime.loss.Vgg;
import org.spadeanime.model.ModelOptions;

/**
 * Everything a training run needs besides the data itself, with the original's names and defaults
 * ({@link #paper()}) and a small CPU preset ({@link #tiny()}). Immutable: {@link #with(UnaryOperator)}
 * returns a copy with named changes, e.g. {@code TrainOptions.tiny().with(b -> b.iterations(500))}, and
 * {@link #withModel(UnaryOperator)} one with the architecture changed; {@link #with(String, Object)}
 * sets a field from command-line text ({@code .with("model.ngf", "16")}). Printable and
 * JSON-serialisable; the JSON goes into every run folder and checkpoint. Every bad value is an
 * {@link IllegalArgumentException} naming the option.
 *
 * @param model the architecture
 * @param data the training data folder (triplet PNGs or images/ + labels/)
 * @param roughData optional second ("rough") data set, trained after each normal iteration with
 *     its loss scaled by {@code roughWeight}; null: none
 * @param roughWeight loss scale of the rough updates (original: 0.1)
 * @param validFraction share of the data held out for the tiles' validation rows (original: 10 %)
 * @param mirror add left–right mirrored copies (the original's augmentation)
 * @param batchSize samples per batch (original: 1)
 * @param iterations length of training in iterations (n_dis D updates + 1 G update each); the
 *     poly schedule decays to zero at this count
 * @param nDis D updates per G update, each on a fresh batch (original: 2)
 * @param lrG generator learning rate (original: 5e-5)
 * @param lrD discriminator learning rate (original: 2e-4)
 * @param beta1G Adam β1 of the generator (original: 0)
 * @param beta2G Adam β2 of the generator (original: 0.9)
 * @param beta1D Adam β1 of the discriminator (original: 0)
 * @param beta2D Adam β2 of the discriminator (original: 0.9)
 * @param polyDecay decay both rates polynomially to zero ({@link org.spadeanime.optim.PolySchedule})
 * @param polyStart fraction of {@code iterations} after which the decay starts (original: 0.4)
 * @param polyInterval the schedule is re-evaluated every this many iterations (original: 100)
 * @param adversarial the adversarial objective (original default: hinge)
 * @param gpForm gradient-penalty form: R1 (default) or the original's squared sum
 * @param gpTarget images the penalty is taken on (original: real)
 * @param gpCoef γ of the penalty (original: 10; 0 turns it off)
 * @param fmCoef feature-matching weight (original: 10; 0 turns it off)
 * @param l1Coef weight λ of a pixel reconstruction term λ·mean|G(x) − y| in G's loss, pix2pix's L1 (not in
 *     the original, whose VGG perceptual term plays that part: 0, off); for machines without the VGG weights
 * @param perceptualCoef VGG perceptual-loss weight (original: 10; 0 turns it off)
 * @param perceptualArch VGG16 (original) or VGG19
 * @param perceptualCriterion MAE (original) or MSE (whose coefficient is halved, as in the original)
 * @param vggWeights pretrained VGG weights for the perceptual loss; when the file is missing the
 *     run says so once and trains without that term
 * @param checkpointEvery iterations between checkpoints (at most this many are lost to a crash)
 * @param keepCheckpoints how many of the newest checkpoints a run folder keeps (≥ 1)
 * @param tileEvery iterations between result tiles (original: 50; 0: none)
 * @param logEvery iterations between progress lines (0: none)
 * @param seed seed of the weights, the noise and the data order
 * @param device auto (a GPU if the engine sees one), cpu, gpu or gpu:N
 * @param threads intra-op CPU threads (0: the engine's default, the number of cores)
 * @param nanPolicy what a NaN or infinite loss does: stop the run, or skip that update
 * @param skipBad skip unusable data files (each logged with its reason) instead of stopping at the first
 * @param emaDecay decay of the generator's exponential moving average ({@link GeneratorEma}, as
 *     StyleGAN and BigGAN keep one; not in the original), ramped up over the first iterations;
 *     tiles, prediction, evaluation and export draw with it; 0 turns it off
 */
public record TrainOptions(
        ModelOptions model,
        Path data,
        Path roughData,
        double roughWeight,
        double validFraction,
        boolean mirror,
        int batchSize,
        long iterations,
        int nDis,
        double lrG,
        double lrD,
        double beta1G,
        double beta2G,
        double beta1D,
        double beta2D,
        boolean polyDecay,
        double polyStart,
        int polyInterval,
        AdversarialLoss adversarial,
        GradientPenalty.Form gpForm,
        GradientPenalty.Target gpTarget,
        double gpCoef,
        double fmCoef,
        double l1Coef,
        double perceptualCoef,
        Vgg.Arch perceptualArch,
        PerceptualLoss.Criterion perceptualCriterion,
        Path vggWeights,
        int checkpointEvery,
        int keepCheckpoints,
        int tileEvery,
        int logEvery,
        long seed,
        String device,
        int threads,
        NanPolicy nanPolicy,
        boolean skipBad,
        double emaDecay) {

    /** What a non-finite loss term does. */
    public enum NanPolicy {
        /** Stop with a message naming the term and the step; the last good checkpoint stays. */
        STOP,
        /** Log it, leave the networks and optimizers untouched for that update, and go on. */
        SKIP
    }

    /** Validates; every bad value names its option. */
    public TrainOptions {
        requireNonNull("model", model);
        requireNonNull("data", data);
        requireNonNull("adversarial", adversarial);
        requireNonNull("gpForm", gpForm);
        requireNonNull("gpTarget", gpTarget);
        requireNonNull("device", device);
        requireNonNull("nanPolicy", nanPolicy);
        requireNonNull("perceptualArch", perceptualArch);
        requireNonNull("perceptualCriterion", perceptualCriterion);
        requireNonNull("vggWeights", vggWeights);
        require(roughWeight >= 0 && Double.isFinite(roughWeight), "roughWeight", roughWeight, "a finite value >= 0");
        require(validFraction >= 0 && validFraction < 1, "validFraction", validFraction, "in [0, 1)");
        require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        require(iterations >= 1, "iterations", iterations, "at least 1");
        require(nDis >= 1, "nDis", nDis, "at least 1");
        for (String n : new String[] {"lrG", "lrD"}) {
            double v = n.equals("lrG") ? lrG : lrD;
            require(v >= 0 && Double.isFinite(v), n, v, "a finite value >= 0");
        }
        double[] betas = {beta1G, beta2G, beta1D, beta2D};
        String[] betaNames = {"beta1G", "beta2G", "beta1D", "beta2D"};
        for (int i = 0; i < 4; i++) {
            require(betas[i] >= 0 && betas[i] < 1, betaNames[i], betas[i], "in [0, 1)");
        }
        require(polyStart >= 0 && polyStart < 1, "polyStart", polyStart, "in [0, 1)");
        require(polyInterval >= 1, "polyInterval", polyInterval, "at least 1");
        double[] coefs = {gpCoef, fmCoef, l1Coef, perceptualCoef};
        String[] coefNames = {"gpCoef", "fmCoef", "l1Coef", "perceptualCoef"};
        for (int i = 0; i < coefs.length; i++) {
            require(coefs[i] >= 0 && Double.isFinite(coefs[i]), coefNames[i], coefs[i], "a finite value >= 0");
        }
        require(checkpointEvery >= 1, "checkpointEvery", checkpointEvery, "at least 1");
        require(keepCheckpoints >= 1, "keepCheckpoints", keepCheckpoints, "at least 1");
        require(tileEvery >= 0, "tileEvery", tileEvery, ">= 0 (0: no tiles)");
        require(logEvery >= 0, "logEvery", logEvery, ">= 0 (0: no progress lines)");
        require(threads >= 0, "threads", threads, ">= 0 (0: the engine's default)");
        require(emaDecay >= 0 && emaDecay < 1, "emaDecay", emaDecay, "in [0, 1) (0: no moving average)");
        String d = device.trim().toLowerCase(Locale.ROOT);
        require(d.equals("auto") || d.equals("cpu") || d.matches("gpu(:\\d+)?"), "device", device,
                "auto, cpu, gpu or gpu:N");
    }

    /** The original's training set-up at 256² (batch 1, 100,000 iterations). */
    public static TrainOptions paper() {
        return new Builder().model(ModelOptions.paper()).data(Path.of("data/synthetic")).roughData(null)
                .roughWeight(0.1).validFraction(0.1).mirror(true).batchSize(1).iterations(100_000).nDis(2)
                .lrG(5e-5).lrD(2e-4).beta1G(0).beta2G(0.9).beta1D(0).beta2D(0.9)
                .polyDecay(true).polyStart(0.4).polyInterval(100)
                .adversarial(AdversarialLoss.HINGE)
                .gpForm(GradientPenalty.Form.R1).gpTarget(GradientPenalty.Target.REAL)
                .gpCoef(10).fmCoef(10).l1Coef(0).perceptualCoef(10).perceptualArch(Vgg.Arch.VGG16)
                .perceptualCriterion(PerceptualLoss.Criterion.MAE).vggWeights(Vgg.Arch.VGG16.defaultWeights())
                .checkpointEvery(1000).keepCheckpoints(3).tileEvery(50).logEvery(10).seed(1).device("auto").threads(0)
                .nanPolicy(NanPolicy.STOP).skipBad(false).emaDecay(0.999).build();
    }

    /**
     * The same recipe on {@link ModelOptions#tiny()} (64², ngf 8) for tests, CI and CPU demos: batch
     * 4, 200 iterations, a checkpoint and a tile every 50. The generator's rate is raised to 5e-4
     * (paper: 5e-5), so the tiny model learns visibly within 200 iterations on the CPU (measured on
     * the synthetic set: L1 to the real images falls to 0.53–0.60 of its step-0 value, against
     * 0.58–0.71 with 2e-4).
     */
    public static TrainOptions tiny() {
        return paper().with(b -> b.model(ModelOptions.tiny()).batchSize(4).iterations(200).lrG(5e-4)
                .checkpointEvery(50).tileEvery(50).logEvery(10));
    }

    /** The tiny recipe on {@link ModelOptions#mid()} (128², ngf = ndf = 32): a CPU-hours model. */
    public static TrainOptions mid() {
        return tiny().withModel(ModelOptions.mid());
    }

    /**
     * The recipe of the shipped {@code weights/cpu128}, a 128² generator for a few CPU hours: {@link
     * ModelOptions#cpu128()}, batch 4, lr G 1e-4 / D 2e-4, R1 γ 10, and pix2pix's L1 term (λ 10), which
     * the ablation found helps where the VGG perceptual term is missing; 5,000 iterations (what fitted
     * one session of this project's 2-core machine beside the ablation) on the synthetic set at 128²
     * (data/synthetic-128), a checkpoint and a tile every 250.
     */
    public static TrainOptions cpu128() {
        return tiny().with(b -> b.model(ModelOptions.cpu128()).data(Path.of("data/synthetic-128")).lrG(1e-4)
                .l1Coef(10).iterations(5_000).checkpointEvery(250).tileEvery(250).logEvery(50));
    }

    /**
     * The recipe of the shipped {@code weights/cpu128-l1}: {@link #cpu128()} with the L1 term dominant (λ
     * 1000) and tiny's lr G 5e-4, the two levers the 128² ablation found move L1 and PSNR most. It draws
     * the average illustration of a label rather than one illustration (smoother, D wins early), and
     * is the kit's best held-out L1 / PSNR at this budget.
     */
    public static TrainOptions cpu128L1() {
        return cpu128().with(b -> b.l1Coef(1000).lrG(5e-4));
    }

    /** A preset by name: tiny, cpu128, cpu128-l1, mid or paper (the notebooks' SPADE_PRESET, the CLI's --preset). */
    public static TrainOptions preset(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "paper" -> paper();
            case "mid" -> mid();
            case "cpu128" -> cpu128();
            case "cpu128-l1" -> cpu128L1();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("preset '" + name
                    + "': expected tiny, cpu128, cpu128-l1, mid or paper");
        };
    }

    // ---- copies ------------------------------------------------------------------------------

    /**
     * A copy with some fields changed, named: {@code o.with(b -> b.iterations(500).lrG(1e-4))}. The
     * copy is validated like every other construction.
     */
    public TrainOptions with(UnaryOperator<Builder> change) {
        return change.apply(new Builder(this)).build();
    }

    /** The fields of a {@link TrainOptions} being changed; see {@link #with(UnaryOperator)}. */
    public static final class Builder {
        private ModelOptions model;
        private Path data;
        private Path roughData;
        private double roughWeight;
        private double validFraction;
        private boolean mirror;
        private int batchSize;
        private long iterations;
        private int nDis;
        private double lrG;
        private double lrD;
        private double beta1G;
        private double beta2G;
        private double beta1D;
        private double beta2D;
        private boolean polyDecay;
        private double polyStart;
        private int polyInterval;
        private AdversarialLoss adversarial;
        private GradientPenalty.Form gpForm;
        private GradientPenalty.Target gpTarget;
        private double gpCoef;
        private double fmCoef;
        private double l1Coef;
        private double perceptualCoef;
        private Vgg.Arch perceptualArch;
        private PerceptualLoss.Criterion perceptualCriterion;
        private Path vggWeights;
        private int checkpointEvery;
        private int keepCheckpoints;
        private int tileEvery;
        private int logEvery;
        private long seed;
        private String device;
        private int threads;
        private NanPolicy nanPolicy;
        private boolean skipBad;
        private double emaDecay;

        private Builder() {}

        private Builder(TrainOptions o) {
            model = o.model;
            data = o.data;
            roughData = o.roughData;
            roughWeight = o.roughWeight;
            validFraction = o.validFraction;
            mirror = o.mirror;
            batchSize = o.batchSize;
            iterations = o.iterations;
            nDis = o.nDis;
            lrG = o.lrG;
            lrD = o.lrD;
            beta1G = o.beta1G;
            beta2G = o.beta2G;
            beta1D = o.beta1D;
            beta2D = o.beta2D;
            polyDecay = o.polyDecay;
            polyStart = o.polyStart;
            polyInterval = o.polyInterval;
            adversarial = o.adversarial;
            gpForm = o.gpForm;
            gpTarget = o.gpTarget;
            gpCoef = o.gpCoef;
            fmCoef = o.fmCoef;
            l1Coef = o.l1Coef;
            perceptualCoef = o.perceptualCoef;
            perceptualArch = o.perceptualArch;
            perceptualCriterion = o.perceptualCriterion;
            vggWeights = o.vggWeights;
            checkpointEvery = o.checkpointEvery;
            keepCheckpoints = o.keepCheckpoints;
            tileEvery = o.tileEvery;
            logEvery = o.logEvery;
            seed = o.seed;
            device = o.device;
            threads = o.threads;
            nanPolicy = o.nanPolicy;
            skipBad = o.skipBad;
            emaDecay = o.emaDecay;
        }

        public Builder model(ModelOptions v) {
            model = v;
            return this;
        }

        public Builder data(Path v) {
            data = v;
            return this;
        }

        public Builder roughData(Path v) {
            roughData = v;
            return this;
        }

        public Builder roughWeight(double v) {
            roughWeight = v;
            return this;
        }

        public Builder validFraction(double v) {
            validFraction = v;
            return this;
        }

        public Builder mirror(boolean v) {
            mirror = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder iterations(long v) {
            iterations = v;
            return this;
        }

        public Builder nDis(int v) {
            nDis = v;
            return this;
        }

        public Builder lrG(double v) {
            lrG = v;
            return this;
        }

        public Builder lrD(double v) {
            lrD = v;
            return this;
        }

        public Builder beta1G(double v) {
            beta1G = v;
            return this;
        }

        public Builder beta2G(double v) {
            beta2G = v;
            return this;
        }

        public Builder beta1D(double v) {
            beta1D = v;
            return this;
        }

        public Builder beta2D(double v) {
            beta2D = v;
            return this;
        }

        public Builder polyDecay(boolean v) {
            polyDecay = v;
            return this;
        }

        public Builder polyStart(double v) {
            polyStart = v;
            return this;
        }

        public Builder polyInterval(int v) {
            polyInterval = v;
            return this;
        }

        public Builder adversarial(AdversarialLoss v) {
            adversarial = v;
            return this;
        }

        public Builder gpForm(GradientPenalty.Form v) {
            gpForm = v;
            return this;
        }

        public Builder gpTarget(GradientPenalty.Target v) {
            gpTarget = v;
            return this;
        }

        public Builder gpCoef(double v) {
            gpCoef = v;
            return this;
        }

        public Builder fmCoef(double v) {
            fmCoef = v;
            return this;
        }

        public Builder l1Coef(double v) {
            l1Coef = v;
            return this;
        }

        public Builder perceptualCoef(double v) {
            perceptualCoef = v;
            return this;
        }

        public Builder perceptualArch(Vgg.Arch v) {
            perceptualArch = v;
            return this;
        }

        public Builder perceptualCriterion(PerceptualLoss.Criterion v) {
            perceptualCriterion = v;
            return this;
        }

        public Builder vggWeights(Path v) {
            vggWeights = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        public Builder tileEvery(int v) {
            tileEvery = v;
            return this;
        }

        public Builder logEvery(int v) {
            logEvery = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder device(String v) {
            device = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder nanPolicy(NanPolicy v) {
            nanPolicy = v;
            return this;
        }

        public Builder skipBad(boolean v) {
            skipBad = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(model, data, roughData, roughWeight, validFraction, mirror, batchSize,
                    iterations, nDis, lrG, lrD, beta1G, beta2G, beta1D, beta2D, polyDecay, polyStart,
                    polyInterval, adversarial, gpForm, gpTarget, gpCoef, fmCoef, l1Coef,
                    perceptualCoef, perceptualArch, perceptualCriterion, vggWeights, checkpointEvery, keepCheckpoints,
                    tileEvery, logEvery, seed, device, threads, nanPolicy, skipBad, emaDecay);
        }
    }

    /**
     * A copy with one field set by name, for command-line text ({@code --set lrG=1e-4}): {@code name}
     * is a component name or {@code model.<field>} for an architecture option; {@code value} is a value
     * of the field's type, or a string as the JSON form would hold it ({@code with("lrG", "1e-4")}).
     * Code uses the typed {@link #with(UnaryOperator)}.
     */
    public TrainOptions with(String name, Object value) {
        JsonObject tree = toJsonTree();
        JsonElement v = toJson(value);
        if (name.startsWith("model.")) {
            JsonObject m = tree.getAsJsonObject("model");
            String field = name.substring("model.".length());
            if (!m.has(field)) {
                throw new IllegalArgumentException("train option " + name + ": unknown model option; known: "
                        + String.join(", ", m.keySet()));
            }
            m.add(field, v);
        } else {
            if (!tree.has(name)) {
                throw new IllegalArgumentException("unknown train option '" + name + "'; known options: "
                        + String.join(", ", tree.keySet()) + " (and model.<field>)");
            }
            tree.add(name, v);
        }
        return fromJsonTree(tree);
    }

    /** How this run opens its data folders (the model's resolution and classes, {@link #skipBad}). */
    public RunData runData() {
        return new RunData(model.resolution(), model.numClasses(), skipBad);
    }

    /** The noise seed of this run's tiles: a checkpoint's tile can be redrawn exactly. */
    public int tileSeed() {
        return Trainer.iterationSeed(seed, -1);
    }

    public TrainOptions withModel(ModelOptions m) {
        return with(b -> b.model(m));
    }

    /** A copy with the model options changed: {@code o.withModel(m -> m.withNoise(false))}. */
    public TrainOptions withModel(UnaryOperator<ModelOptions> change) {
        return withModel(change.apply(model));
    }

    public TrainOptions withData(Path folder) {
        return with(b -> b.data(folder));
    }

    public TrainOptions withIterations(long n) {
        return with(b -> b.iterations(n));
    }

    public TrainOptions withSeed(long s) {
        return with(b -> b.seed(s));
    }

    // ---- JSON --------------------------------------------------------------------------------

    /** Pretty JSON of every field; the model options nest under "model". */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(toJsonTree());
    }

    /** The options as a JSON object (field names = component names; null paths as JSON null). */
    public JsonObject toJsonTree() {
        return RecordJson.tree(this);
    }

    /**
     * Parses options written by {@link #toJson()} or by hand: missing fields take the {@link
     * #paper()} value (missing model fields the paper model's); unknown fields, wrong types and bad
     * values are errors naming the field.
     */
    public static TrainOptions fromJson(String json) {
        return paper().withJson(json);
    }

    /** Reads options from a JSON file over {@link #paper()}; errors name the file. */
    public static TrainOptions fromJson(Path file) throws IOException {
        return paper().withJson(file);
    }

    /**
     * A copy with the fields of a JSON object set (the others kept): {@code tiny().withJson("{\"lrG\":
     * 1e-4}")}. A nested {@code "model"} object replaces the model options, its missing fields taking
     * the paper model's values.
     */
    public TrainOptions withJson(String json) {
        JsonObject base = toJsonTree();
        return fromJsonTree(RecordJson.merge(base, RecordJson.parseObject(json, "train options"),
                name -> "unknown train option '" + name + "'; known options: " + String.join(", ", base.keySet())));
    }

    /** {@link #withJson(String)} with the content of a file; errors name the file. */
    public TrainOptions withJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (expected train options JSON)");
        }
        try {
            return withJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TrainOptions" + toJsonTree();
    }

    private static TrainOptions fromJsonTree(JsonObject tree) {
        return RecordJson.construct(TrainOptions.class, tree, TrainOptions::parse);
    }

    /** A field value as JSON; command-line text "16", "1e-4" and "true" becomes JSON numbers and booleans. */
    private static JsonElement toJson(Object v) {
        if (v instanceof String text) {
            try {
                JsonElement e = JsonParser.parseString(text.trim());
                if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isString()) {
                    return e;
                }
            } catch (JsonParseException e) {
                // not JSON: a plain string
            }
            return new JsonPrimitive(text);
        }
        return RecordJson.json(v);
    }

    /** Nested model options, then {@link RecordJson#field} with command-line text allowed. */
    private static Object parse(String name, Class<?> type, JsonElement v) {
        if (type == ModelOptions.class) {
            if (!v.isJsonObject()) {
                throw new IllegalArgumentException("train option " + name
                        + ": expected a JSON object of model options, got " + v);
            }
            return ModelOptions.fromJson(v.toString());
        }
        return RecordJson.field("train option " + name, type, v, RecordJson.Values.TEXT);
    }

    private static void requireNonNull(String name, Object v) {
        if (v == null) {
            throw new IllegalArgumentException("train option " + name + ": must be set");
        }
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("train option " + name + ": expected " + expected + ", got " + value);
        }
    }
}
