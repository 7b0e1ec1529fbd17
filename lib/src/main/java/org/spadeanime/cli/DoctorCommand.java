package org.spadeanime.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.spadeanime.CpuInfo;
import org.spadeanime.DjlRuntime;
import org.spadeanime.NumericsCheck;
import org.spadeanime.TorchBackends;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code doctor}: the machine, libtorch's build and switches, the environment that changes which
 * kernels run, and the numerics self-check with oneDNN convolutions and with the backend the kit
 * chose. Exit code 0 when training may run here, 1 when the trainer would refuse.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Prints the CPU, libtorch's ATen/oneDNN/MKL/OpenMP build, the convolution backend and NNPACK "
                + "switches, thread settings and the environment variables that change kernels, then runs the numerics "
                + "self-check (convolutions incl. dilated and their gradients, R1's double backward, batch norm, "
                + "resizing, attention) with oneDNN convolutions and with the backend the kit chose.",
            "Exit code 0 when training may run on this machine, 1 when it would be refused."})
public final class DoctorCommand implements Callable<Integer> {

    /** Variables read by glibc, libgomp, oneDNN, ATen, MKL, libtorch's logging or the kit, before or at start. */
    static final List<String> ENVIRONMENT = List.of("SPADE_ONEDNN", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA",
            "ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY",
            "MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "TORCH_CPP_LOG_LEVEL");

    @CommandLine.Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CpuInfo cpu = CpuInfo.read();
        out.println("CPU: " + cpu.describe());
        out.println("  SIMD: " + cpu.simd());
        out.println("  cache topology visible to software: " + (CpuInfo.cacheTopologyVisible() ? "yes"
                : "no (no /sys/devices/system/cpu/cpu0/cache: a VM hiding CPUID's cache leaves)"));
        engine.applyThreads();
        DjlRuntime.init();
        Device dev = DjlRuntime.device(engine.device);
        out.println("libtorch " + Engine.getInstance().getVersion() + " (PyTorch engine of DJL " + Engine.getDjlVersion() + ")");
        Map<String, String> info = TorchBackends.libraryInfo();
        if (info.isEmpty()) {
            out.println("  backend switches unreachable: " + TorchBackends.unavailableReason());
        }
        info.forEach((k, v) -> out.println("  " + k + ": " + v.replace("\n", "\n    ")));
        out.println("  convolutions: " + TorchBackends.oneDnnEnabled().map(on -> on ? "oneDNN" : "ATen").orElse("unknown")
                + " (mode " + TorchBackends.mode().name().toLowerCase(java.util.Locale.ROOT) + ", -D"
                + TorchBackends.ONEDNN_PROPERTY + " or SPADE_ONEDNN); NNPACK: "
                + TorchBackends.nnpackEnabled().map(on -> on ? "on" : "off").orElse("unknown"));
        out.println("  device for training: " + dev);
        out.println("environment:");
        for (String name : ENVIRONMENT) {
            String v = System.getenv(name);
            out.println("  " + name + "=" + (v == null ? "(unset)" : v));
        }
        boolean chosen = TorchBackends.oneDnnEnabled().orElse(true);
        if (!chosen && TorchBackends.oneDnnEnabled().isPresent()) {
            out.println("self-check with oneDNN convolutions (cpu):");
            TorchBackends.setOneDnn(true);
            try {
                out.println(NumericsCheck.run(Device.cpu()).describe());
            } finally {
                TorchBackends.setOneDnn(false);
            }
        }
        out.println("self-check with the convolution backend in use (" + dev + "):");
        NumericsCheck.Report report = NumericsCheck.run(dev);
        out.println(report.describe());
        if (report.passed()) {
            out.println("verdict: training may run on " + dev);
            return 0;
        }
        out.println("verdict: training would be refused: " + NumericsCheck.hint(report.failures().get(0).check(), report.oneDnn()));
        return 1;
    }
}
