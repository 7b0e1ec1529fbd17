package org.spadeanime.cli;

import org.spadeanime.DjlRuntime;
import picocli.CommandLine.Option;

/** The engine flags of commands that run a network in this process (predict, serve, doctor, segment, train-segmenter). */
final class EngineOptions {

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "intra-op CPU threads (0: one per core)")
    int threads;

    /** Sets the engine's intra-op threads (before the engine starts). */
    void applyThreads() {
        DjlRuntime.threads(threads);
    }
}
