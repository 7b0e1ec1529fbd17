package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the integration tests find the packaged kernel and library: system properties set by failsafe. */
final class BuildPaths {

    private BuildPaths() {}

    /** environment/kernel/target/kernel: spade-kernel.jar and its runtime jars. */
    static Path kernelJars() {
        Path p = property("spade.kernel.jars");
        if (!Files.isRegularFile(p.resolve("spade-kernel.jar"))) {
            fail(p + "/spade-kernel.jar is missing: run the integration tests through Maven (mvn verify), which packages the kernel first");
        }
        return p;
    }

    /** lib/target/lib: the library jar and its runtime jars, what notebooks load with %jars. */
    static Path libJars() {
        Path p = property("spade.lib.dir");
        if (!Files.isRegularFile(p.resolve("spade-anime.jar"))) {
            fail(p + "/spade-anime.jar is missing: package the library first; `mvn verify` from the project root"
                    + " (or `mvn -pl environment/kernel -am verify`) builds it before this module");
        }
        return p;
    }

    static Path projectRoot() {
        return property("spade.project.root");
    }

    private static Path property(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            fail("system property " + name + " is not set: run the integration tests through Maven (mvn verify)");
        }
        return Path.of(v).toAbsolutePath().normalize();
    }
}
