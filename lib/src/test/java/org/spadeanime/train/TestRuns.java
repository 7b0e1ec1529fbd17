package org.spadeanime.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spadeanime.data.SyntheticAnime;

/** Shared set-up of the run tests: a small synthetic set and tiny options that run fast on the CPU. */
final class TestRuns {

    private TestRuns() {}

    /** 48 synthetic 64² triplets (the data branch's generator) in {@code dir}, written once. */
    static Path synthetic(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            new SyntheticAnime(64).write(dir, 0, 48, 11, 2, n -> { });
        }
        return dir;
    }

    /**
     * tiny() at batch 2 on one intra-op thread (robust on a loaded 2-core machine), no perceptual
     * term (tests have no VGG weights), no tiles, a checkpoint every 2 steps.
     */
    static TrainOptions quick(Path data) {
        return TrainOptions.tiny().withData(data).with("batchSize", 2).with("threads", 1).with("perceptualCoef", 0)
                .with("tileEvery", 0).with("checkpointEvery", 2).with("iterations", 1000);
    }
}
