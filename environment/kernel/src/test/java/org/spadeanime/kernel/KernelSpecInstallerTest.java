package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecInstallerTest {

    @TempDir
    Path dir;

    private Path fakeBuild() throws Exception {
        Path jars = Files.createDirectories(dir.resolve("target/kernel"));
        Files.writeString(jars.resolve("spade-kernel.jar"), "kernel");
        Files.writeString(jars.resolve("gson-2.13.1.jar"), "gson");
        Files.writeString(jars.resolve("README.txt"), "not a jar");
        return jars;
    }

    @Test
    void writesKernelJsonAndCopiesTheJars() throws Exception {
        Path kernels = dir.resolve("jupyter/kernels");
        Path spec = KernelSpecInstaller.install(new KernelSpecInstaller.Options(kernels, fakeBuild(),
                "/opt/jdk/bin/java", "6g", List.of("-Dai.djl.pytorch.num_threads=2")));
        assertEquals(kernels.resolve("spade-java"), spec);
        assertEquals(List.of("gson-2.13.1.jar", "spade-kernel.jar"), names(spec.resolve("lib")));
        JsonObject json = JsonParser.parseString(Files.readString(spec.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (SPADE kit)", json.get("display_name").getAsString());
        assertEquals("java", json.get("language").getAsString());
        assertEquals("message", json.get("interrupt_mode").getAsString());
        List<String> argv = new ArrayList<>();
        json.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
        assertEquals("/opt/jdk/bin/java", argv.get(0));
        assertEquals("-Xmx6g", argv.get(1));
        assertTrue(argv.containsAll(List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.pytorch.num_threads=2")), argv.toString());
        assertEquals(List.of("-cp", "{resource_dir}/lib/*", "org.spadeanime.kernel.SpadeKernel", "{connection_file}"),
                argv.subList(argv.size() - 4, argv.size()));
        assertEquals("true", json.getAsJsonObject("env").get("OPT_OUT_TRACKING").getAsString());
    }

    /** install-kernel.sh passes environment/native.env: its variables become the kernel's environment. */
    @Test
    void theEnvFileBecomesTheKernelsEnvironment() throws Exception {
        Path kernels = dir.resolve("kernels");
        KernelSpecInstaller.Options o = KernelSpecInstaller.parse(new String[] {"--kernels-dir", kernels.toString(),
            "--jars", fakeBuild().toString(), "--env-file", Path.of("../native.env").toString()});
        assertEquals("1", o.env().get("MALLOC_ARENA_MAX"));
        assertEquals("68719476736", o.env().get("MALLOC_TRIM_THRESHOLD_"));
        assertEquals("ERROR", o.env().get("TORCH_CPP_LOG_LEVEL"));
        JsonObject env = JsonParser.parseString(Files.readString(KernelSpecInstaller.install(o).resolve("kernel.json")))
                .getAsJsonObject().getAsJsonObject("env");
        assertEquals("0", env.get("MALLOC_MMAP_MAX_").getAsString());
        assertEquals("true", env.get("DJL_OFFLINE").getAsString());
    }

    @Test
    void aBadEnvFileLineIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.env"), "# fine\nA=1\nexport B=2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.readEnvFile(file));
        assertEquals("--env-file " + file + " line 3: expected KEY=VALUE, got 'export B=2'", e.getMessage());
    }

    @Test
    void reinstallReplacesOnlyThisKernel() throws Exception {
        Path kernels = dir.resolve("kernels");
        Path other = Files.createDirectories(kernels.resolve("python3"));
        Files.writeString(other.resolve("kernel.json"), "{}");
        Path jars = fakeBuild();
        KernelSpecInstaller.install(new KernelSpecInstaller.Options(kernels, jars, "java", "4g", List.of()));
        Files.delete(jars.resolve("gson-2.13.1.jar"));
        KernelSpecInstaller.install(new KernelSpecInstaller.Options(kernels, jars, "java", "2g", List.of()));
        assertEquals(List.of("spade-kernel.jar"), names(kernels.resolve("spade-java/lib")));
        assertTrue(Files.readString(kernels.resolve("spade-java/kernel.json")).contains("-Xmx2g"));
        assertEquals("{}", Files.readString(other.resolve("kernel.json")));
        assertEquals(List.of("python3", "spade-java"), names(kernels)); // no staging folders left behind
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Path kernels = dir.resolve("kernels");
        IllegalArgumentException noBuild = assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.install(
                new KernelSpecInstaller.Options(kernels, dir.resolve("nothing"), "java", "4g", List.of())));
        assertTrue(noBuild.getMessage().contains("build the kernel first"), noBuild.getMessage());
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.install(
                new KernelSpecInstaller.Options(kernels, fakeBuild(), "java", "lots", List.of())));
        assertEquals("--xmx lots: expected a size such as 4g or 8192m", heap.getMessage());
        assertFalse(Files.exists(kernels.resolve("spade-java")));
        assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.parse(new String[] {"--jars"}));
        assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.parse(new String[] {"--kernels-dir", "k"}));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
