package org.spadeanime;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * libtorch's global backend switches, the Java twin of Python's {@code torch.backends.mkldnn.enabled}
 * and {@code torch.backends.nnpack}: DJL exposes neither, so they are set through libtorch's exported
 * {@code at::Context} methods, called with JNA (already a DJL dependency) on the libtorch_cpu.so that
 * DJL loaded; and c10's allocator flag that fills every new CPU allocation with NaN-like junk (the
 * self-check's debug allocator).
 *
 * <p><b>Why oneDNN convolutions may be switched off.</b> libtorch 2.7.1 runs CPU float convolutions
 * on oneDNN 3.7.1's JIT kernels. On an AMD EPYC Zen 5 (family 26) virtual machine those give wrong
 * results whenever a channel count is not a multiple of the kernel's block (8 for AVX2, 16 for
 * AVX-512; e.g. the 1-channel patch head, an ASPP fusion over 24 channels): input gradients off by
 * 0.2–1.0 of their magnitude or NaN, depending on what the heap held before. The same JIT code is
 * exact when valgrind executes it, ATen's own convolution kernels are exact on the same machine, and
 * libtorch with oneDNN at SSE4.1 is exact too. The kit therefore asks {@link NumericsCheck} at start-up
 * (DjlRuntime.init): mode {@link Mode#AUTO} keeps oneDNN where it passes and runs convolutions on ATen
 * where it does not. NNPACK is switched off always: it never runs on CPUs it does not know, and
 * probing for it printed "Could not initialize NNPACK! Reason: Unsupported hardware." per shape.
 *
 * <p>Linux only (the kit's native jar is linux-x86_64); where the library or a symbol cannot be
 * found the switches are reported as unreachable and the self-check still guards the numbers.
 */
public final class TorchBackends {

    /** System property (or environment variable SPADE_ONEDNN) choosing the convolution backend. */
    public static final String ONEDNN_PROPERTY = "spade.onednn";

    /** How the convolution backend is chosen. */
    public enum Mode {
        /** oneDNN where the numerics self-check passes with it, else ATen (the default). */
        AUTO,
        /** oneDNN; training refuses to start where the self-check fails with it. */
        ON,
        /** ATen's own kernels (exact everywhere measured, slower than a working oneDNN). */
        OFF
    }

    private static NativeLibrary torch;
    private static NativeLibrary c10;
    private static Pointer context;
    private static String unavailable;

    private TorchBackends() {}

    /** The mode from -Dspade.onednn or SPADE_ONEDNN: auto (default), on or off. */
    public static Mode mode() {
        String v = System.getProperty(ONEDNN_PROPERTY, System.getenv("SPADE_ONEDNN"));
        if (v == null || v.isBlank()) {
            return Mode.AUTO;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return Mode.AUTO;
            case "on": case "true": case "1":
                return Mode.ON;
            case "off": case "false": case "0":
                return Mode.OFF;
            default:
                throw new IllegalArgumentException(ONEDNN_PROPERTY + " (or SPADE_ONEDNN) = '" + v
                        + "': expected auto, on or off");
        }
    }

    /**
     * Sets the switches once the engine is loaded (DjlRuntime.init calls it, before the first op):
     * NNPACK off, oneDNN convolutions off in mode OFF. Returns false when they are unreachable.
     */
    static synchronized boolean apply() {
        if (!reachable()) {
            return false;
        }
        setOneDnn(mode() != Mode.OFF);
        call("_ZN2at7Context20setUserEnabledNNPACKEb", Boolean.FALSE);
        quietLogs();
        return true;
    }

    /**
     * libtorch's C++ log level: TORCH_CPP_LOG_LEVEL when set (DJL never calls c10::initLogging, which
     * reads it, so the variable alone did nothing), else ERROR — its warnings (deprecations inside
     * DJL's JNI, NNPACK probing) are not the user's to act on, and errors still print.
     */
    private static void quietLogs() {
        try {
            if (System.getenv("TORCH_CPP_LOG_LEVEL") != null) {
                c10.getFunction("_ZN3c1011initLoggingEv").invokeVoid(new Object[0]);
            } else {
                c10.getGlobalVariableAddress("FLAGS_caffe2_log_level").setInt(0, 2); // c10::GLOG_ERROR
            }
        } catch (RuntimeException | LinkageError e) {
            // logs stay at libtorch's default level: noisier, nothing else
        }
    }

    /**
     * Turns oneDNN convolutions on or off for the whole process (benchmarks compare both in one
     * run). Numbers computed with it on are only as good as the self-check says.
     */
    public static synchronized void setOneDnn(boolean on) {
        if (!reachable()) {
            throw new IllegalStateException("libtorch's backend switches are not reachable: " + unavailable);
        }
        call("_ZN2at7Context20setUserEnabledMkldnnEb", on);
    }

    /**
     * Makes c10's CPU allocator fill every new allocation with junk whose floats are NaN (its
     * caffe2_cpu_allocator_do_junk_fill flag), so a kernel that reads memory nobody wrote sees NaN.
     * Returns the previous setting; false (and nothing set) where libc10 is unreachable.
     */
    public static synchronized boolean junkFill(boolean on) {
        if (!reachable()) {
            return false;
        }
        try {
            Pointer flag = c10.getGlobalVariableAddress("FLAGS_caffe2_cpu_allocator_do_junk_fill");
            boolean before = flag.getByte(0) != 0;
            flag.setByte(0, (byte) (on ? 1 : 0));
            return before;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Whether libtorch will run CPU convolutions on oneDNN now; empty when unknown. */
    public static synchronized Optional<Boolean> oneDnnEnabled() {
        return reachable() ? Optional.of(flag("_ZNK2at7Context17userEnabledMkldnnEv")) : Optional.empty();
    }

    /** Whether libtorch may try NNPACK; empty when unknown. */
    public static synchronized Optional<Boolean> nnpackEnabled() {
        return reachable() ? Optional.of(flag("_ZNK2at7Context17userEnabledNNPACKEv")) : Optional.empty();
    }

    /**
     * libtorch's own build and run-time facts (what Python's torch.__config__ prints): the ATen CPU
     * capability in use, oneDNN, MKL and OpenMP versions, thread settings. Empty when unreachable.
     */
    public static synchronized Map<String, String> libraryInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        if (!reachable()) {
            return info;
        }
        info.put("ATen CPU capability", string("_ZN2at18get_cpu_capabilityB5cxx11Ev"));
        info.put("oneDNN", string("_ZN2at18get_mkldnn_versionB5cxx11Ev"));
        info.put("MKL", string("_ZN2at15get_mkl_versionB5cxx11Ev"));
        info.put("OpenMP", string("_ZN2at18get_openmp_versionB5cxx11Ev"));
        info.put("parallel", string("_ZN2at17get_parallel_infoB5cxx11Ev").strip());
        return info;
    }

    /** Why the switches could not be reached, or null when they can. */
    public static synchronized String unavailableReason() {
        reachable();
        return unavailable;
    }

    private static boolean reachable() {
        if (context != null) {
            return true;
        }
        if (unavailable != null) {
            return false;
        }
        try {
            Path lib = loadedLibrary("libtorch_cpu.so").orElseThrow(() -> new IllegalStateException(
                    "libtorch_cpu.so is not loaded in this process (load the PyTorch engine first)"));
            torch = NativeLibrary.getInstance(lib.toString());
            // libc10 (allocator and log flags) sits beside libtorch_cpu.so in the same folder
            c10 = NativeLibrary.getInstance(lib.resolveSibling("libc10.so").toString());
            context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            return true;
        } catch (RuntimeException | LinkageError | IOException e) {
            unavailable = e.getMessage();
            return false;
        }
    }

    /** The path of a shared library this process has mapped (Linux /proc/self/maps). */
    static Optional<Path> loadedLibrary(String fileName) throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        return Files.readAllLines(maps).stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(p -> p.endsWith("/" + fileName))
                .findFirst()
                .map(Path::of);
    }

    private static void call(String symbol, boolean value) {
        torch.getFunction(symbol).invokeVoid(new Object[] {context, value});
    }

    private static boolean flag(String symbol) {
        // C++ bool comes back in the low byte of eax; the upper bytes are undefined.
        return (torch.getFunction(symbol).invokeInt(new Object[] {context}) & 0xff) != 0;
    }

    /**
     * Calls a free function returning std::string (libstdc++'s C++11 ABI: the caller passes the
     * result's address as a hidden first argument; the object is {char* data, size_t size, ...}).
     * The returned object's heap buffer is left alone (a few bytes, once per call).
     */
    private static String string(String symbol) {
        try {
            Function f = torch.getFunction(symbol);
            Memory result = new Memory(32);
            f.invokeVoid(new Object[] {result});
            Pointer data = result.getPointer(0);
            long size = result.getLong(8);
            if (size < 0 || size > 1 << 20) {
                return "(unreadable)";
            }
            return new String(data.getByteArray(0, (int) size), StandardCharsets.UTF_8);
        } catch (UnsatisfiedLinkError e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
