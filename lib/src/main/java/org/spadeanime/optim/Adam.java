package org.spadeanime.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spadeanime.Finite;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.NonFiniteStateException;

/**
 * Adam as {@code torch.optim.Adam} computes it (no weight decay, no AMSGrad), with state that can
 * be checkpointed: DJL's own optimizers keep their moments out of reach, so a resumed run would
 * restart them from zero. For each trainable parameter p with gradient g, at step t:
 * <pre>
 *   m ← β1·m + (1 − β1)·g            v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / ( √v / √(1 − β2^t) + ε )
 * </pre>
 * (The original's Chainer Adam differs only in where ε goes: it adds ε to √v before the bias
 * correction; with ε = 1e-8 the difference is negligible.)
 *
 * <p>{@link #update} reads each trainable parameter's gradient, updates the parameter in place and
 * then zeroes the gradient, because DJL's gradient collectors accumulate and never zero. Frozen
 * parameters ({@code requiresGradient() == false}, e.g. spectral-norm vectors) are left alone.
 * Call it after the {@code GradientCollector} is closed. A parameter whose gradient was never
 * written reads as zero and still takes a step with its moments, unlike torch, which skips it.
 *
 * <p>Memory: m and v live in this optimizer's own manager (a child of the one passed in); every
 * per-step temporary, including the gradient handles, is closed before {@link #update} returns.
 * State is keyed by the parameter names of the {@link ParameterList} (for a block: its
 * hierarchical names), so the same network must be passed on every call and after a restore.
 * PyTorch engine only (the gradient is zeroed natively).
 */
public final class Adam implements AutoCloseable {

    private static final int MAGIC = 0x53414441; // "SADA": spade-anime Adam
    private static final int VERSION = 1;

    // Hyper-parameters in double, as torch keeps them in Python floats: (1 - β2) rounded from the
    // double 0.999 is 0.001f, while 1f - 0.999f is 0.00099998713 (a 1e-5 relative drift in v).
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final NDManager manager;
    private final Map<String, Moments> state = new LinkedHashMap<>();
    private double learningRate;
    private long step;

    private record Moments(NDArray m, NDArray v) {}

    /**
     * A new optimizer whose state lives in a sub-manager of {@code parent}.
     *
     * @param learningRate the initial learning rate (see {@link #setLearningRate})
     * @param beta1 first-moment decay, in [0, 1)
     * @param beta2 second-moment decay, in [0, 1)
     * @param epsilon added to the bias-corrected √v, > 0 (torch's default 1e-8)
     */
    public Adam(NDManager parent, double learningRate, double beta1, double beta2, double epsilon) {
        check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
        check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
        check("epsilon", epsilon, epsilon > 0 && Double.isFinite(epsilon), "> 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        setLearningRate(learningRate);
        this.manager = parent.newSubManager();
        this.manager.setName("adam");
    }

    /** The reference's settings: β1 = 0, β2 = 0.9, ε = 1e-8. */
    public static Adam reference(NDManager parent, double learningRate) {
        return new Adam(parent, learningRate, 0, 0.9, 1e-8);
    }

    public double learningRate() {
        return learningRate;
    }

    /** Sets the rate used from the next {@link #update} on (the poly schedule calls this). */
    public void setLearningRate(double learningRate) {
        check("learning rate", learningRate, learningRate >= 0 && Double.isFinite(learningRate), ">= 0");
        this.learningRate = learningRate;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Number of updates made so far (t of the last update). */
    public long step() {
        return step;
    }

    /** One step on every trainable parameter of {@code block}. */
    public void update(Block block) {
        update(block.getParameters());
    }

    /** One step on every trainable parameter in {@code parameters}; zeroes their gradients. */
    public void update(ParameterList parameters) {
        step++;
        // Bias corrections in double, as torch computes them in Python floats.
        double bias1 = 1.0 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, step));
        float stepSize = (float) (learningRate / bias1);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // in-place updates of leaves that require grad
        try {
            for (Pair<String, Parameter> pair : parameters) {
                Parameter parameter = pair.getValue();
                if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                Moments mv = moments(pair.getKey(), weight);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray grad = weight.getGradient();
                    mv.m.muli(b1).addi(grad.mul(oneMinusB1));
                    mv.v.muli(b2).addi(grad.square().muli(oneMinusB2));
                    NDArray denom = mv.v.sqrt().divi((float) bias2Sqrt).addi((float) epsilon);
                    weight.subi(mv.m.div(denom).muli(stepSize));
                    JniUtils.zeroGrad((PtNDArray) weight);
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Zeroes the gradients of every trainable parameter of {@code block} without updating it: for
     * a network whose gradients were accumulated by a backward meant for another network (e.g. D
     * during the G step, when D is not frozen), before its own step.
     */
    public static void zeroGradients(Block block) {
        zeroGradients(block.getParameters());
    }

    /** As {@link #zeroGradients(Block)} for a parameter list. */
    public static void zeroGradients(ParameterList parameters) {
        for (Pair<String, Parameter> pair : parameters) {
            Parameter p = pair.getValue();
            if (p.requiresGradient() && p.isInitialized() && p.getArray().hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
        }
    }

    private Moments moments(String name, NDArray weight) {
        Moments mv = state.get(name);
        if (mv == null) {
            NDArray m = manager.zeros(weight.getShape(), DataType.FLOAT32, weight.getDevice());
            NDArray v = manager.zeros(weight.getShape(), DataType.FLOAT32, weight.getDevice());
            // A caller's NDScope around the training step must not close the optimizer's state.
            NDScope.unregister(m, v);
            mv = new Moments(m, v);
            state.put(name, mv);
        } else if (!mv.m.getShape().equals(weight.getShape())) {
            throw new IllegalStateException("Adam state for parameter '" + name + "' has shape " + mv.m.getShape()
                    + " but the parameter has shape " + weight.getShape()
                    + ": the optimizer state belongs to a different network");
        } else if (!mv.m.getDevice().equals(weight.getDevice())) {
            // State restored on another device than the network's (e.g. loaded on the CPU).
            Moments moved = new Moments(mv.m.toDevice(weight.getDevice(), true), mv.v.toDevice(weight.getDevice(), true));
            moved.m.attach(manager);
            moved.v.attach(manager);
            NDScope.unregister(moved.m, moved.v);
            mv.m.close();
            mv.v.close();
            state.put(name, moved);
            mv = moved;
        }
        return mv;
    }

    /**
     * Writes the whole state (hyper-parameters, learning rate, step, every m and v in exact float
     * bits, keyed by parameter name) to {@code out}.
     */
    public void save(DataOutputStream out) throws IOException {
        save(out, null);
    }

    private void save(DataOutputStream out, Path file) throws IOException {
        String bad = Finite.firstNonFinite(named(state));
        if (bad != null) {
            throw new NonFiniteStateException(file == null ? Path.of("(stream)") : file, bad, true);
        }
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeDouble(beta1);
        out.writeDouble(beta2);
        out.writeDouble(epsilon);
        out.writeDouble(learningRate);
        out.writeLong(step);
        out.writeInt(state.size());
        for (Map.Entry<String, Moments> e : state.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().m.getShape().getShape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            writeFloats(out, e.getValue().m);
            writeFloats(out, e.getValue().v);
        }
    }

    /** Writes the state to {@code file} atomically (temp file + rename). */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os));
            save(out, file);
            out.flush();
        });
    }

    /**
     * Replaces this optimizer's state with the one in {@code in} (written by {@link #save}).
     * β1, β2 and ε must equal this optimizer's; the learning rate and step are restored.
     *
     * @param source named in error messages (the file)
     */
    public void load(DataInputStream in, String source) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(source + ": not an Adam state file of this kit");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(source + ": Adam state version " + version + ", expected " + VERSION);
        }
        double b1 = in.readDouble();
        double b2 = in.readDouble();
        double eps = in.readDouble();
        if (b1 != beta1 || b2 != beta2 || eps != epsilon) {
            throw new IOException(source + ": saved with beta1 " + b1 + ", beta2 " + b2 + ", epsilon " + eps
                    + "; this optimizer has " + beta1 + ", " + beta2 + ", " + epsilon);
        }
        double lr = in.readDouble();
        long savedStep = in.readLong();
        int count = in.readInt();
        Map<String, Moments> loaded = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException(source + ": corrupt shape rank " + rank + " for '" + name + "'");
                }
                long[] dims = new long[rank];
                for (int k = 0; k < rank; k++) {
                    dims[k] = in.readLong();
                }
                Shape shape = new Shape(dims);
                NDArray m = readFloats(in, shape);
                NDArray v = readFloats(in, shape);
                NDScope.unregister(m, v);
                loaded.put(name, new Moments(m, v));
            }
        } catch (IOException | RuntimeException e) {
            loaded.values().forEach(mv -> {
                mv.m.close();
                mv.v.close();
            });
            throw e instanceof IOException io ? io : new IOException(source + ": " + e.getMessage(), e);
        }
        String bad = Finite.firstNonFinite(named(loaded));
        if (bad != null) {
            loaded.values().forEach(mv -> {
                mv.m.close();
                mv.v.close();
            });
            throw new NonFiniteStateException(Path.of(source), bad, false);
        }
        state.values().forEach(mv -> {
            mv.m.close();
            mv.v.close();
        });
        state.clear();
        state.putAll(loaded);
        learningRate = lr;
        step = savedStep;
    }

    /** Reads the state from {@code file} (see {@link #load(DataInputStream, String)}). */
    public void load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (expected an Adam state written by Adam.save)");
        }
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
            load(in, file.toString());
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated Adam state file", e);
        }
    }

    /**
     * Checks that the state fits {@code parameters} (same names and shapes for every trainable
     * parameter that has state), so a mismatched checkpoint fails at load time, not mid-training.
     */
    public void checkMatches(ParameterList parameters, String source) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                shapes.put(p.getKey(), p.getValue().getArray().getShape());
            }
        }
        for (Map.Entry<String, Moments> e : state.entrySet()) {
            Shape s = shapes.get(e.getKey());
            if (s == null) {
                throw new IllegalStateException(source + ": Adam state has parameter '" + e.getKey()
                        + "', which the network does not have (a checkpoint of another architecture?)");
            }
            if (!s.equals(e.getValue().m.getShape())) {
                throw new IllegalStateException(source + ": Adam state for '" + e.getKey() + "' has shape "
                        + e.getValue().m.getShape() + ", the network's parameter has " + s);
            }
        }
        if (step > 0 && state.size() != shapes.size()) {
            throw new IllegalStateException(source + ": Adam state covers " + state.size()
                    + " parameters, the network has " + shapes.size() + " trainable ones");
        }
    }

    /** Every moment by name ("Adam m of conv1.weight", ...). */
    private static Map<String, NDArray> named(Map<String, Moments> moments) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        moments.forEach((name, mv) -> {
            arrays.put("Adam m of " + name, mv.m);
            arrays.put("Adam v of " + name, mv.v);
        });
        return arrays;
    }

    /**
     * Whether the gradients of every trainable parameter are finite: one reduction per parameter
     * and one read, run before an update so a NaN gradient never reaches the weights or moments.
     */
    public static boolean gradientsFinite(ParameterList parameters) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray total = null;
            for (Pair<String, Parameter> pair : parameters) {
                Parameter p = pair.getValue();
                if (!p.requiresGradient() || !p.isInitialized() || !p.getArray().hasGradient()) {
                    continue;
                }
                // a signed sum is NaN or ±∞ exactly when an element is (∞ − ∞ is NaN): no abs needed
                NDArray g = p.getArray().getGradient();
                NDArray s = g.sum();
                g.close();
                total = total == null ? s : total.add(s);
            }
            return total == null || Float.isFinite(total.getFloat());
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The first and second moments of a parameter (views owned by this optimizer), or null. */
    public NDArray[] moments(String parameterName) {
        Moments mv = state.get(parameterName);
        return mv == null ? null : new NDArray[] {mv.m, mv.v};
    }

    @Override
    public void close() {
        manager.close();
        state.clear();
    }

    private NDArray readFloats(DataInputStream in, Shape shape) throws IOException {
        long n = shape.size();
        if (n < 0 || n > Integer.MAX_VALUE / 4) {
            throw new IOException("corrupt Adam state: shape " + shape);
        }
        byte[] bytes = new byte[(int) n * 4];
        in.readFully(bytes);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return manager.create(bb.asFloatBuffer(), shape, DataType.FLOAT32);
    }

    private static void writeFloats(DataOutputStream out, NDArray array) throws IOException {
        ByteBuffer bb = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        out.write(bytes);
    }

    private static void check(String what, double value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("Adam " + what + " " + value + ": expected " + expected);
        }
    }
}
