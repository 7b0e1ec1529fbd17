package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Jupyter home (JUPYTER_PATH and Jupyter's other folders) with the packaged spade-java
 * kernel installed, and a way to run commands in it. Tests that use it need Debian's Jupyter and fail,
 * saying how to install it, where it is missing.
 */
final class JupyterHome {

    static final Path JUPYTER = Path.of("/usr/bin/jupyter");

    /** What a command printed (stdout and stderr together), its exit code and how long it ran. */
    record Result(int exitCode, String output, Duration time) {}

    final Path dir;

    JupyterHome(Path dir) throws IOException {
        requireJupyter();
        this.dir = dir;
        String java = ProcessHandle.current().info().command().orElse("java");
        KernelSpecInstaller.install(new KernelSpecInstaller.Options(dir.resolve("kernels"), BuildPaths.kernelJars(),
                java, "1g", List.of()));
    }

    static void requireJupyter() {
        if (!Files.isExecutable(JUPYTER) || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            fail("Jupyter is not installed (" + JUPYTER + " is missing): run environment/install-jupyter.sh, which"
                    + " installs Debian's jupyter-nbconvert, python3-nbclient, jupyter-client and jupyter-notebook"
                    + " (CI does this); or skip these tests explicitly with mvn verify -DskipJupyterTests");
        }
    }

    /** The environment that points Jupyter (and environment/*.sh) at this home. */
    Map<String, String> environment() {
        return Map.of("JUPYTER_PATH", dir.toString(),
                "JUPYTER_DATA_DIR", dir.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", dir.resolve("config").toString(),
                "JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString(),
                "SPADE_JUPYTER_DIR", dir.toString());
    }

    /** Starts a command in the background with this home's environment; its output goes to {@code log}. */
    Process start(Path workDir, Path log, List<String> command) throws IOException {
        return processBuilder(workDir, Map.of(), command).redirectOutput(log.toFile()).start();
    }

    /** Runs a command in {@code workDir} with this home's environment plus {@code extra}; fails on timeout. */
    Result run(Path workDir, Duration timeout, Map<String, String> extra, List<String> command) {
        ProcessBuilder pb = processBuilder(workDir, extra, command);
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(p.getInputStream(), out));
            reader.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                reader.join(5000);
                fail(String.join(" ", command) + " still ran after " + timeout + "; output so far:\n" + out);
            }
            reader.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder processBuilder(Path workDir, Map<String, String> extra, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        pb.environment().putAll(env);
        return pb;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process was killed: keep what was read
        }
    }
}
