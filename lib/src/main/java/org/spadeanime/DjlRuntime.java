package org.spadeanime;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * One place that prepares DJL before its engine loads: offline (the native libtorch comes from the
 * pytorch-native-cpu jar on the classpath, never from the internet), no telemetry, and the thread
 * counts; and, right after it loads and before the first op, libtorch's backend switches
 * ({@link TorchBackends}: NNPACK off; oneDNN convolutions only where the {@link NumericsCheck}
 * passes with them). Call {@link #init()} before the first NDManager; later calls are no-ops.
 */
public final class DjlRuntime {

    private static volatile boolean done;

    private DjlRuntime() {}

    /** Offline, no tracking; threads from system properties or the defaults of the engine. */
    public static synchronized void init() {
        if (done) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        Engine.getEngine("PyTorch");
        done = true; // the self-check below starts the engine's ops and calls init() again
        if (!TorchBackends.apply()) {
            System.err.println("warning: libtorch's backend switches could not be set ("
                    + TorchBackends.unavailableReason() + "); the numerics self-check decides whether "
                    + "training may run");
        } else if (TorchBackends.mode() == TorchBackends.Mode.AUTO) {
            chooseConvolutionBackend();
        }
    }

    /**
     * Mode auto: keeps oneDNN convolutions where the numerics self-check passes with them, else
     * switches to ATen's and says so once, on stdout: a status line (in a notebook, beside the cell
     * that started the engine), not an error.
     */
    private static void chooseConvolutionBackend() {
        NumericsCheck.Report withOneDnn = NumericsCheck.run(Device.cpu());
        if (!withOneDnn.passed()) {
            TorchBackends.setOneDnn(false);
            NumericsCheck.Result first = withOneDnn.failures().get(0);
            System.out.printf(java.util.Locale.ROOT, "numerics: libtorch's oneDNN convolutions are wrong on this CPU "
                    + "(%s %s %s; %d of %d checks failed); convolutions run on ATen instead (exact, slower). "
                    + "Details: spade-anime doctor%n", first.check(), first.output(), first.describeError(),
                    withOneDnn.failures().size(), withOneDnn.results().size());
        }
    }

    /**
     * Sets the intra-op thread count before the engine starts (0 keeps the engine's default, the
     * number of cores). Has no effect once the engine is loaded.
     */
    public static synchronized void threads(int intraOp) {
        if (intraOp > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOp));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * Resolves a device name: "cpu", "gpu" / "gpu:N", or "auto" (the first GPU when the engine has
     * one, else the CPU). A GPU that the engine cannot see is a clear error, not a crash in native code.
     */
    public static Device device(String name) {
        init();
        int gpus = Engine.getInstance().getGpuCount();
        String n = name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.startsWith("gpu")) {
            int id = n.length() > 3 ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
            if (id >= gpus) {
                throw new IllegalArgumentException("device '" + name + "': the PyTorch engine sees "
                        + gpus + " GPU(s); use cpu or auto, or build with -Pcuda on a CUDA machine");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device '" + name + "': expected auto, cpu, gpu or gpu:N");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
