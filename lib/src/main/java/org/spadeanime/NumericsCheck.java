package org.spadeanime;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The kit's start-up self-check of libtorch: the ops it trains with, in float32 on the training
 * device, against float64 references that torch computed from the same inputs (the committed
 * resource {@code numerics-check.npz}, made by {@code lib/src/main/python/make_numerics_check.py}).
 * Every forward output and every gradient must agree to {@link #CPU_TOLERANCE} of its largest entry
 * ({@link #GPU_TOLERANCE} on a GPU, where cuDNN may use TF32); wrong kernels miss by 0.1 or give NaN.
 *
 * <p>A kernel that reads memory nobody wrote is made to fail every time rather than by chance: while
 * the checks run, c10's allocator fills new CPU memory with NaN junk ({@link TorchBackends#junkFill})
 * and before each check the freed heap is filled with NaN. That is how the oneDNN defect described in
 * {@link TorchBackends} shows itself, and why a fixture test passed on one run while a training run
 * went NaN at step 1 on the next.
 *
 * <p>About 50 ms on a 2-core CPU. Reports are cached per device and oneDNN state.
 * {@code DjlRuntime.init} runs it to choose the convolution backend; the trainer calls
 * {@link #require} before the first step; {@code spade-anime doctor} prints {@link Report#describe()}.
 */
public final class NumericsCheck {

    /** Largest accepted error on a CPU, relative to the reference's largest entry (float32 rounding is ~1e-7). */
    public static final double CPU_TOLERANCE = 1e-4;
    /** The same on a GPU: cuDNN convolutions may run in TF32 (10-bit mantissa). */
    public static final double GPU_TOLERANCE = 1e-2;

    private static final String RESOURCE = "/org/spadeanime/numerics-check.npz";
    private static final Map<String, Report> CACHE = new HashMap<>();

    /** One compared output or gradient. */
    public record Result(String check, String output, double error, double tolerance) {
        /** Within tolerance (NaN or infinity never is). */
        public boolean passed() {
            return error <= tolerance;
        }

        /** "is NaN or infinite" or "is off by 0.43 of its magnitude". */
        public String describeError() {
            return Double.isFinite(error) ? String.format(Locale.ROOT, "is off by %.2g of its magnitude", error)
                    : "is NaN or infinite";
        }
    }

    /** The results of one run of all checks. */
    public record Report(Device device, boolean oneDnn, List<Result> results, double millis) {

        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }

        public List<Result> failures() {
            return results.stream().filter(r -> !r.passed()).toList();
        }

        /** One line per compared output, then a verdict. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (Result r : results) {
                b.append(String.format(Locale.ROOT, "  %-4s %-14s %-26s max rel. error %.1e (limit %.0e)%n",
                        r.passed() ? "ok" : "FAIL", r.check(), r.output(), r.error(), r.tolerance()));
            }
            b.append(String.format(Locale.ROOT, "  %d of %d outputs within tolerance on %s, oneDNN convolutions %s, %.0f ms",
                    results.size() - failures().size(), results.size(), device, oneDnn ? "on" : "off", millis));
            return b.toString();
        }
    }

    /** Thrown by {@link #require} when a check fails; the message names the op and what to change. */
    public static final class Failure extends IllegalStateException {
        private final transient Report report;

        Failure(String message, Report report) {
            super(message);
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    private NumericsCheck() {}

    /** Runs every check on {@code device} (cached per device and oneDNN state). */
    public static synchronized Report run(Device device) {
        DjlRuntime.init();
        boolean oneDnn = TorchBackends.oneDnnEnabled().orElse(true);
        String key = device + "/" + oneDnn;
        Report cached = CACHE.get(key);
        if (cached == null) {
            try (NDManager manager = NDManager.newBaseManager(device)) {
                cached = run(manager, fixture(manager), oneDnn);
            }
            CACHE.put(key, cached);
        }
        return cached;
    }

    /**
     * Runs the checks and throws {@link Failure} unless all pass: the message names the first
     * failing op, its error and the likely switch.
     */
    public static Report require(Device device) {
        Report report = run(device);
        if (!report.passed()) {
            throw failure(report);
        }
        return report;
    }

    /** The refusal for a failed report: the first failing op, its error, the likely switch, every result. */
    static Failure failure(Report report) {
        Result first = report.failures().get(0);
        return new Failure(String.format(Locale.ROOT,
                "numerics self-check failed on %s: %s (%s) %s (limit %.0e), so training here would use wrong "
                        + "gradients and is refused. Likely cause and switch: %s. Every check: spade-anime doctor.%n%s",
                report.device(), first.check(), first.output(), first.describeError(), first.tolerance(),
                hint(first.check(), report.oneDnn()), report.describe()), report);
    }

    /** The likely cause of a failing check, and what to change. */
    public static String hint(String check, boolean oneDnn) {
        boolean conv = check.startsWith("conv") || check.equals("r1");
        if (conv && oneDnn) {
            return "oneDNN convolutions are on (-D" + TorchBackends.ONEDNN_PROPERTY + "=on or SPADE_ONEDNN=on) and "
                    + "libtorch 2.7.1's oneDNN computes them wrongly on this CPU: use auto (the default) or off";
        }
        String aten = "ATen's vectorised CPU kernels: set ATEN_CPU_CAPABILITY=avx2 (or default) in the "
                + "environment before starting Java";
        return conv ? "ATen's convolution or its backward; " + aten : aten;
    }

    /** The committed fixture, in {@code manager}. */
    public static NDList fixture(NDManager manager) {
        try (InputStream in = NumericsCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing from the jar");
            }
            return NDList.decode(manager, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs every check against {@code fixture} (tests pass a tampered one). */
    public static Report run(NDManager manager, NDList fixture, boolean oneDnn) {
        long start = System.nanoTime();
        double tolerance = manager.getDevice().isGpu() ? GPU_TOLERANCE : CPU_TOLERANCE;
        List<Result> results = new ArrayList<>();
        Map<String, BiFunction<NDManager, Inputs, List<Compared>>> checks = new java.util.LinkedHashMap<>();
        for (String conv : List.of("conv_head", "conv_down", "conv_dilated", "conv_fuse")) {
            checks.put(conv, (m, in) -> conv(in, conv));
        }
        checks.put("batch_norm", (m, in) -> batchNorm(m, in));
        checks.put("resize", (m, in) -> resize(in));
        checks.put("attention", (m, in) -> attention(in));
        checks.put("r1", (m, in) -> r1(m, in));
        // New CPU allocations hold NaN while the checks run, and the freed heap does too.
        boolean junk = !manager.getDevice().isGpu() && TorchBackends.junkFill(true);
        try {
            for (Map.Entry<String, BiFunction<NDManager, Inputs, List<Compared>>> check : checks.entrySet()) {
                poisonHeap(manager);
                try (NDManager sub = manager.newSubManager()) {
                    for (Compared c : check.getValue().apply(sub, new Inputs(fixture, sub))) {
                        results.add(new Result(check.getKey(), c.output(), relativeError(c.got(), c.expected()),
                                tolerance));
                    }
                }
            }
        } finally {
            if (!manager.getDevice().isGpu()) {
                TorchBackends.junkFill(junk);
            }
        }
        return new Report(manager.getDevice(), oneDnn, List.copyOf(results), (System.nanoTime() - start) / 1e6);
    }

    /** A computed array and its reference. */
    private record Compared(String output, NDArray got, NDArray expected) {}

    /** The fixture's arrays, copied into a check's own manager (on its device). */
    private record Inputs(NDList fixture, NDManager manager) {
        NDArray get(String name) {
            NDArray a = fixture.get(name);
            if (a == null) {
                throw new IllegalStateException("numerics-check.npz has no array " + name);
            }
            NDArray copy = a.toDevice(manager.getDevice(), true);
            copy.attach(manager);
            return copy;
        }

        /** A leaf that records its gradient. */
        NDArray leaf(String name) {
            NDArray a = get(name);
            a.setRequiresGradient(true);
            return a;
        }
    }

    private static List<Compared> conv(Inputs in, String p) {
        NDArray x = in.leaf(p + ".x");
        NDArray w = in.leaf(p + ".w");
        float[] g = in.get(p + ".geometry").toFloatArray();
        Shape stride = new Shape((long) g[0], (long) g[0]);
        Shape pad = new Shape((long) g[1], (long) g[1]);
        Shape dilation = new Shape((long) g[2], (long) g[2]);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = Conv2d.conv2d(x, w, null, stride, pad, dilation, 1).head();
            gc.backward(y.mul(in.get(p + ".r")).sum());
        }
        return List.of(new Compared("forward", y, in.get(p + ".y")),
                new Compared("input gradient", x.getGradient(), in.get(p + ".dx")),
                new Compared("weight gradient", w.getGradient(), in.get(p + ".dw")));
    }

    private static NDArray batchNormTraining(NDManager m, NDArray x, NDArray gamma, NDArray beta) {
        long c = x.getShape().get(1);
        return BatchNorm.batchNorm(x, m.zeros(new Shape(c)), m.ones(new Shape(c)), gamma, beta, 1, 0.1f, 2e-5f, true)
                .head();
    }

    private static List<Compared> batchNorm(NDManager m, Inputs in) {
        NDArray x = in.leaf("batch_norm.x");
        NDArray gamma = in.leaf("batch_norm.gamma");
        NDArray beta = in.leaf("batch_norm.beta");
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = batchNormTraining(m, x, gamma, beta);
            gc.backward(y.mul(in.get("batch_norm.r")).sum());
        }
        return List.of(new Compared("forward", y, in.get("batch_norm.y")),
                new Compared("input gradient", x.getGradient(), in.get("batch_norm.dx")),
                new Compared("gamma gradient", gamma.getGradient(), in.get("batch_norm.dgamma")),
                new Compared("beta gradient", beta.getGradient(), in.get("batch_norm.dbeta")));
    }

    private static List<Compared> resize(Inputs in) {
        List<Compared> out = new ArrayList<>();
        for (String mode : List.of("bilinear", "nearest")) {
            String p = "resize_" + mode;
            NDArray x = in.leaf(p + ".x");
            NDArray r = in.get(p + ".r");
            int h = (int) r.getShape().get(2);
            int w = (int) r.getShape().get(3);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // as Resize: bilinear is A_h · x · A_wᵀ, nearest is libtorch's kernel
                y = mode.equals("bilinear")
                        ? in.get(p + ".ah").matMul(x.matMul(in.get(p + ".aw").transpose()))
                        : x.getNDArrayInternal().interpolation(new long[] {h, w}, 0, false);
                gc.backward(y.mul(r).sum());
            }
            out.add(new Compared(mode + " forward", y, in.get(p + ".y")));
            out.add(new Compared(mode + " gradient", x.getGradient(), in.get(p + ".dx")));
        }
        return out;
    }

    private static List<Compared> attention(Inputs in) {
        NDArray q = in.leaf("attention.q");
        NDArray k = in.leaf("attention.k");
        NDArray v = in.leaf("attention.v");
        NDArray o;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // as SelfAttention: softmax over the query axis, then value · attention
            o = v.matMul(q.transpose(0, 2, 1).matMul(k).softmax(1));
            gc.backward(o.mul(in.get("attention.r")).sum());
        }
        return List.of(new Compared("output", o, in.get("attention.o")),
                new Compared("query gradient", q.getGradient(), in.get("attention.dq")),
                new Compared("key gradient", k.getGradient(), in.get("attention.dk")),
                new Compared("value gradient", v.getGradient(), in.get("attention.dv")));
    }

    private static final List<String> R1_PARAMETERS = List.of("w1", "w2", "w3", "gamma", "beta");

    private static List<Compared> r1(NDManager m, Inputs in) {
        NDArray x = in.leaf("r1.x");
        Map<String, NDArray> p = new HashMap<>();
        for (String name : R1_PARAMETERS) {
            p.put(name, in.leaf("r1." + name));
        }
        NDArray penalty;
        try (Model gp = TorchScript.load("numerics-check-r1", "/org/spadeanime/loss/gradient_penalty_r1.pt");
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray h = Activation.leakyRelu(Conv2d.conv2d(x, p.get("w1"), null, new Shape(2, 2), new Shape(1, 1),
                    new Shape(1, 1), 1).head(), 0.2f);
            h = Conv2d.conv2d(h, p.get("w2"), null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).head();
            h = Activation.leakyRelu(batchNormTraining(m, h, p.get("gamma"), p.get("beta")), 0.2f);
            NDArray logits = Conv2d.conv2d(h, p.get("w3"), null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .head();
            penalty = TorchScript.forward(gp, m, new NDList(logits, x)).head();
            gc.backward(penalty);
        }
        List<Compared> out = new ArrayList<>();
        out.add(new Compared("penalty", penalty.reshape(1), in.get("r1.penalty")));
        for (String name : R1_PARAMETERS) {
            out.add(new Compared("d penalty / d " + name, p.get(name).getGradient(), in.get("r1.d" + name)));
        }
        return out;
    }

    /**
     * Allocates arrays of many sizes on the manager's device, fills them with NaN and frees them, so
     * a kernel that reads memory it did not initialise meets NaN there.
     */
    static void poisonHeap(NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            for (int size = 16; size <= 1 << 17; size *= 2) {
                for (int j = 0; j < 4; j++) {
                    sub.full(new Shape(size + 16L * j), Float.NaN);
                }
            }
        }
    }

    /**
     * max |got − expected| / max |expected|, computed in Java (the engine under test does not judge
     * itself); NaN when anything is not finite or the shapes differ.
     */
    static double relativeError(NDArray got, NDArray expected) {
        if (got == null || !got.getShape().equals(expected.getShape())) {
            return Double.NaN;
        }
        float[] a = got.toType(DataType.FLOAT32, false).toFloatArray();
        float[] b = expected.toType(DataType.FLOAT32, false).toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!Double.isFinite(d)) {
                return Double.NaN;
            }
            diff = Math.max(diff, d);
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
