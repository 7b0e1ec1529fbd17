package org.spadeanime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** What /proc/cpuinfo says about the first CPU: enough to name a machine in a numerics report. */
public record CpuInfo(String vendor, String model, int family, int modelNumber, int logicalCpus, Set<String> flags) {

    /** The SIMD features that decide which kernels oneDNN and ATen pick. */
    public static final List<String> SIMD = List.of("sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile");

    /** Reads /proc/cpuinfo; fields it lacks stay empty or -1. */
    public static CpuInfo read() {
        String vendor = "";
        String model = "";
        int family = -1;
        int number = -1;
        int cpus = 0;
        Set<String> flags = new TreeSet<>();
        try {
            boolean first = true;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("processor")) {
                    cpus++;
                    first = cpus == 1;
                } else if (first) {
                    switch (key) {
                        case "vendor_id" -> vendor = value;
                        case "model name" -> model = value;
                        case "cpu family" -> family = parse(value);
                        case "model" -> number = parse(value);
                        case "flags" -> flags.addAll(Arrays.asList(value.split("\\s+")));
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            model = "(unreadable /proc/cpuinfo: " + e.getMessage() + ")";
        }
        return new CpuInfo(vendor, model, family, number, cpus, Set.copyOf(flags));
    }

    /** Whether software can see the cache hierarchy (Linux exposes it under /sys when CPUID reports it). */
    public static boolean cacheTopologyVisible() {
        return Files.isDirectory(Path.of("/sys/devices/system/cpu/cpu0/cache/index0"));
    }

    /** "AMD EPYC (AuthenticAMD, family 26, model 2), 2 logical CPUs". */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s, family %d, model %d), %d logical CPU(s)", model, vendor, family,
                modelNumber, logicalCpus);
    }

    /** The {@link #SIMD} features, each marked present (+) or absent (-). */
    public String simd() {
        StringBuilder b = new StringBuilder();
        for (String f : SIMD) {
            b.append(b.length() == 0 ? "" : " ").append(flags.contains(f) ? "+" : "-").append(f);
        }
        return b.toString();
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
