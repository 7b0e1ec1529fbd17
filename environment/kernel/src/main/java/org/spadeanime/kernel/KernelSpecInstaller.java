package org.spadeanime.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Installs the Jupyter kernelspec {@value #NAME} into a kernels folder: {@code NAME/kernel.json} and
 * {@code NAME/lib/*.jar}, a copy of the packaged kernel (so it survives {@code mvn clean}) that
 * {@code kernel.json} names through Jupyter's {@code {resource_dir}}. Only this kernel's folder is
 * replaced, and atomically: the new one is built next to it and renamed into place.
 *
 * <p>Command line (used by environment/install-kernel.sh):
 * {@code --kernels-dir DIR --jars DIR [--java PATH] [--xmx SIZE] [--jvm-option OPTION]... [--env-file FILE]}
 * (the env file, environment/native.env, becomes kernel.json's {@code env}: KEY=VALUE lines, # comments).
 */
public final class KernelSpecInstaller {

    public static final String NAME = "spade-java";
    public static final String DISPLAY_NAME = "Java (SPADE kit)";
    public static final String DEFAULT_XMX = "4g";

    /**
     * JVM options every kernel gets: headless AWT (charts and images render without a display), DJL
     * offline (the native library comes from the jar, never a download) without telemetry, UTF-8, and
     * quiet logs: warnings only, except the kit's own INFO lines, and without DJL's "Failed to detect
     * GPU count" warning on CPU machines.
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-Dai.djl.offline=true",
            "-DOPT_OUT_TRACKING=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.org.spadeanime=info",
            "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
            "-Dorg.slf4j.simpleLogger.showThreadName=false",
            "-Dorg.slf4j.simpleLogger.showShortLogName=true");

    /** What to install where. */
    public record Options(Path kernelsDir, Path jarsDir, String java, String maxHeap, List<String> extraJvmOptions,
            Map<String, String> env) {

        /** Without an env file: only DJL's offline and no-telemetry switches. */
        public Options(Path kernelsDir, Path jarsDir, String java, String maxHeap, List<String> extraJvmOptions) {
            this(kernelsDir, jarsDir, java, maxHeap, extraJvmOptions, BASE_ENV);
        }
    }

    /** The kernel's environment when no env file is given. */
    static final Map<String, String> BASE_ENV = Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true");

    private KernelSpecInstaller() {}

    public static void main(String[] args) {
        try {
            Path dir = install(parse(args));
            System.out.println("installed kernel " + NAME + " (" + DISPLAY_NAME + ") in " + dir);
        } catch (IllegalArgumentException e) {
            System.err.println("spade-kernel install: " + e.getMessage());
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("spade-kernel install failed: " + e);
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        Path kernels = null;
        Path jars = null;
        String java = "java";
        String xmx = DEFAULT_XMX;
        List<String> extra = new ArrayList<>();
        Map<String, String> env = new TreeMap<>(BASE_ENV);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--kernels-dir" -> kernels = Path.of(value);
                case "--jars" -> jars = Path.of(value);
                case "--java" -> java = value;
                case "--xmx" -> xmx = value;
                case "--jvm-option" -> extra.add(value);
                case "--env-file" -> env.putAll(readEnvFile(Path.of(value)));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected --kernels-dir DIR --jars DIR [--java PATH] [--xmx SIZE] [--jvm-option OPTION]"
                        + " [--env-file FILE])");
            }
            i++;
        }
        if (kernels == null || jars == null) {
            throw new IllegalArgumentException("--kernels-dir and --jars are required");
        }
        return new Options(kernels, jars, java, xmx, extra, env);
    }

    /** KEY=VALUE lines; blank lines and # comments are skipped; anything else is an error naming the line. */
    static Map<String, String> readEnvFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--env-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Map<String, String> env = new TreeMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1 || !line.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("--env-file " + file + " line " + (n + 1) + ": expected KEY=VALUE, got '"
                        + line + "'");
            }
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    /** Installs the kernelspec; returns its folder. */
    public static Path install(Options o) throws IOException {
        if (!o.maxHeap().matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--xmx " + o.maxHeap() + ": expected a size such as 4g or 8192m");
        }
        List<Path> jars = jars(o.jarsDir());
        Files.createDirectories(o.kernelsDir());
        Path target = o.kernelsDir().resolve(NAME);
        Path staging = Files.createTempDirectory(o.kernelsDir(), NAME + ".new-");
        try {
            Path lib = Files.createDirectory(staging.resolve("lib"));
            for (Path jar : jars) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
            Files.writeString(staging.resolve("kernel.json"), kernelJson(o), StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(o.kernelsDir(), NAME + ".old-");
                Files.move(target, old.resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(staging);
        }
        return target;
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--jars " + dir + ": no such folder; build the kernel first"
                    + " (mvn -B -pl environment/kernel -am package -DskipTests)");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            s.forEach(jars::add);
        }
        if (jars.stream().noneMatch(p -> p.getFileName().toString().equals("spade-kernel.jar"))) {
            throw new IllegalArgumentException("--jars " + dir + ": no spade-kernel.jar there; build the kernel first"
                    + " (mvn -B -pl environment/kernel -am package -DskipTests)");
        }
        jars.sort(null);
        return jars;
    }

    /** The kernel.json text. */
    static String kernelJson(Options o) {
        List<String> argv = new ArrayList<>();
        argv.add(o.java());
        argv.add("-Xmx" + o.maxHeap());
        argv.addAll(JVM_OPTIONS);
        argv.addAll(o.extraJvmOptions());
        argv.addAll(List.of("-cp", "{resource_dir}/lib/*", SpadeKernel.class.getName(), "{connection_file}"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message"); // a SIGINT would end the JVM, not the cell
        spec.put("env", new TreeMap<>(o.env()));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
