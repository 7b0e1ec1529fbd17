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
 * DJL loaded.
 *
 * <p><b>Why oneDNN convolutions are off by default.</b> libtorch 2.7.1 runs CPU float convolutions on
 * oneDNN 3.7.1. Its f32 backward-data kernels {@code jit:avx512_core} and {@code jit:avx2} read the
 * padding of blocked layouts (output channels rounded up to 16 or 8) without that padding being
 * zeroed: whenever a conv's output channel count is not a multiple of the block, the input gradient
 * mixes in whatever the allocator last left there — 0.2–0.9 relative error, or NaN when that memory
 * held a NaN (measured on an AMD EPYC Zen 5, family 26; {@code NumericsCheck} and
 * {@code OneDnnBackwardDataTest} reproduce it by poisoning the freed heap with NaN first). Every
 * R1 penalty, the patch discriminator's 1-channel head and the mapping networks' odd widths hit
 * it. ATen's own kernels (im2col + BLAS, and the dilated-conv kernel) are exact on the same machine,
 * so {@link #apply()} switches oneDNN off for the process; {@code -Dspade.onednn=on} (or
 * {@code SPADE_ONEDNN=on}) turns it back on for experiments, and the start-up self-check then
 * decides whether training may go on. NNPACK is switched off too: it never runs on CPUs it does
 * not know, and probing for it printed "Could not initialize NNPACK! Reason: Unsupported
 * hardware." on every convolution shape.
 *
 * <p>Linux only (the kit's native jar is linux-x86_64); where the library or a symbol cannot be
 * found the switch is reported as not applied and the self-check still guards the numbers.
 */
public final class TorchBackends {

    /** System property (or environment variable SPADE_ONEDNN) that re-enables oneDNN convolutions. */
    public static final String ONEDNN_PROPERTY = "spade.onednn";

    private static NativeLibrary torch;
    private static Pointer context;
    private static String unavailable;

    private TorchBackends() {}

    /** Whether the user asked for oneDNN convolutions (-Dspade.onednn=on or SPADE_ONEDNN=on). */
    public static boolean oneDnnRequested() {
        String v = System.getProperty(ONEDNN_PROPERTY, System.getenv("SPADE_ONEDNN"));
        if (v == null || v.isBlank()) {
            return false;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "on": case "true": case "1":
                return true;
            case "off": case "false": case "0":
                return false;
            default:
                throw new IllegalArgumentException(ONEDNN_PROPERTY + "=" + v + ": expected on or off");
        }
    }

    /**
     * Sets the switches once the engine is loaded (DjlRuntime.init calls it): oneDNN convolutions
     * off unless requested, NNPACK off. Returns false when the switches could not be reached.
     */
    static synchronized boolean apply() {
        if (!reachable()) {
            return false;
        }
        setOneDnn(oneDnnRequested());
        call("_ZN2at7Context20setUserEnabledNNPACKEb", Boolean.FALSE);
        return true;
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
