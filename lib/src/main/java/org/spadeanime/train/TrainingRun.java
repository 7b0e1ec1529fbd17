package org.spadeanime.train;

import ai.djl.ndarray.NDList;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.Batch;
import org.spadeanime.data.BatchStream;
import org.spadeanime.data.DataSplit;
import org.spadeanime.infer.TileRenderer;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.io.BadInputException;
import org.spadeanime.io.NonFiniteStateException;
import org.spadeanime.io.Png;
import org.spadeanime.viz.LossChart;

/**
 * A training run in a {@link RunFolder}: data, {@link Trainer}, metrics, tiles and checkpoints.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.start(Path.of("runs/tiny"), TrainOptions.tiny().withData(dataDir))) {
 *     run.addListener(new TrainingListener() { public void onStep(StepMetrics m) { ... } });
 *     run.train(Long.MAX_VALUE);                      // to options.iterations()
 * }
 * try (TrainingRun run = TrainingRun.resume(Path.of("runs/tiny"))) { run.train(100); }
 * }</pre>
 *
 * Checkpoints are written every {@code checkpointEvery} iterations and when a {@link #train} call
 * ends, so a crash loses at most {@code checkpointEvery} iterations. A resumed run continues from
 * the newest readable checkpoint with the same weights, buffers, optimizer moments, data position
 * and RNG seeds, and thus computes what the uninterrupted run would have. An interrupted training
 * thread (a notebook's stop button) ends the {@link #train} call after the current iteration, with
 * a checkpoint of it, wherever the interrupt lands: between iterations, in one (a batch being
 * decoded is awaited) or in a listener that then throws.
 */
public final class TrainingRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final RunFolder folder;
    private final TrainOptions options;
    private final Trainer trainer;
    private final MetricsLog metrics;
    private final BatchStream trainStream;
    private final BatchStream roughStream;
    private final TileRenderer tiles;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<String> pendingMessages = new ArrayList<>();
    private long checkpointed;
    /** What a listener threw on a stop request in the current {@link #train} call; see notifyListeners. */
    private Throwable stop;
    /** Whether the current {@link #train} call saw an interrupt; see stopRequested. */
    private boolean interruptTaken;

    private TrainingRun(RunFolder folder, TrainOptions options, TrainingCheckpoint from, List<String> notes)
            throws IOException {
        this.folder = folder;
        this.options = options;
        pendingMessages.addAll(notes);
        AnimeDataset data = options.runData().open(options.data(), "data");
        DataSplit split = data.split(options.seed(), options.validFraction());
        AnimeDataset rough = options.roughData() == null ? null : options.runData().open(options.roughData(), "roughData");
        Trainer t = new Trainer(options, this::message);
        try {
            if (from != null) {
                from.restore(t, this::message);
            }
            trainer = t;
            metrics = MetricsLog.create(folder.metricsFile(), from == null ? List.of() : from.metrics());
            trainStream = split.train().stream(options.batchSize(), options.seed(), options.mirror(),
                    from == null ? 0 : from.trainBatches());
            roughStream = rough == null ? null : rough.all().stream(options.batchSize(), options.seed() + 1,
                    options.mirror(), from == null ? 0 : from.roughBatches());
            tiles = TileRenderer.of(split, data.palette(), options.tileSeed());
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        checkpointed = from == null ? -1 : from.step();
    }

    /**
     * Starts a new run in {@code dir} (created if needed). A folder that already holds checkpoints is
     * refused: continue it with {@link #resume}, or choose a new folder.
     */
    public static TrainingRun start(Path dir, TrainOptions options) throws IOException {
        RunFolder folder = new RunFolder(dir);
        if (!folder.checkpoints().isEmpty()) {
            throw new BadInputException(dir, "this run folder already holds checkpoints; continue it with resume, or"
                    + " train into a new folder");
        }
        boolean created = !Files.exists(folder.root());
        AtomicFiles.createFolders(folder.root());
        AtomicFiles.writeString(folder.optionsFile(), options.toJson() + "\n");
        try {
            return new TrainingRun(folder, options, null, List.of());
        } catch (IOException | RuntimeException e) {
            // nothing trained: leave no run folder that looks started (bad data, a refused device ...)
            if (created) {
                AtomicFiles.deleteTree(folder.root());
            } else {
                Files.deleteIfExists(folder.optionsFile());
                Files.deleteIfExists(folder.metricsFile());
            }
            throw e;
        }
    }

    /** Continues the run in {@code dir} from its newest readable checkpoint, with its options. */
    public static TrainingRun resume(Path dir) throws IOException {
        return resume(dir, UnaryOperator.identity());
    }

    /**
     * Continues the run in {@code dir} from its newest readable checkpoint; {@code adjust} may change
     * options that do not alter the model (device, threads, intervals, iterations).
     */
    public static TrainingRun resume(Path dir, UnaryOperator<TrainOptions> adjust) throws IOException {
        RunFolder folder = new RunFolder(dir);
        if (!Files.isDirectory(folder.root())) {
            throw new BadInputException(dir, "no such run folder");
        }
        List<String> notes = new ArrayList<>();
        int removed = folder.deleteLeftovers();
        if (removed > 0) {
            notes.add("removed " + removed + " half-written file(s) left by an interrupted run in " + dir);
        }
        java.util.Set<Path> poisoned = new java.util.HashSet<>();
        while (true) {
            TrainingCheckpoint from = TrainingCheckpoint.newest(folder, notes, poisoned);
            TrainOptions options = adjust.apply(from.options());
            if (!options.model().equals(from.options().model())) {
                throw new IllegalArgumentException("resume: the model options cannot change within a run ("
                        + from.options().model() + " in " + from.folder() + ")");
            }
            try {
                return new TrainingRun(folder, options, from, notes);
            } catch (NonFiniteStateException e) {
                // written before the kit refused to save such state: an older checkpoint may be clean
                notes.add("skipping " + from.folder() + ": " + e.getMessage());
                poisoned.add(from.folder());
            }
        }
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrainingListener listener) {
        listeners.remove(listener);
    }

    public RunFolder folder() {
        return folder;
    }

    public TrainOptions options() {
        return options;
    }

    public Trainer trainer() {
        return trainer;
    }

    public MetricsLog metrics() {
        return metrics;
    }

    /** Completed iterations. */
    public long step() {
        return trainer.step();
    }

    /**
     * Trains at most {@code maxSteps} iterations, stopping at {@code options.iterations()}; returns
     * the number done. Checkpoints at every {@code checkpointEvery} step and at the end; tiles at
     * every {@code tileEvery} step. A non-finite loss (nanPolicy stop) throws
     * {@link NonFiniteLossException} naming the term, the step and the last good checkpoint.
     */
    public long train(long maxSteps) throws IOException {
        long start = trainer.step();
        // compared before adding: start + Long.MAX_VALUE ("all remaining") would overflow on a resumed run
        long end = Math.max(0, maxSteps) >= options.iterations() - start ? options.iterations() : start + maxSteps;
        stop = null;
        interruptTaken = false;
        flushMessages();
        TrainingFeed trainFeed = feed(trainStream);
        TrainingFeed roughFeed = roughStream == null ? null : feed(roughStream);
        try {
            notifyListeners(l -> l.onStart(this, start, end));
            while (trainer.step() < end && stop == null && !stopRequested()) {
                StepMetrics m;
                try {
                    m = trainer.iteration(trainFeed, roughFeed);
                } catch (NonFiniteLossException e) {
                    throw e.withAdvice(advice(e.step()));
                }
                stopRequested(); // a Stop during the iteration: taken before the step's files and listeners
                metrics.add(m);
                notifyListeners(l -> l.onStep(m));
                flushMessages();
                long s = trainer.step();
                if (options.tileEvery() > 0 && s % options.tileEvery() == 0) {
                    writeTile();
                }
                if (s % options.checkpointEvery() == 0) {
                    checkpoint();
                }
            }
            if (interruptTaken || stop != null) {
                message("interrupted at step " + trainer.step() + "; writing a checkpoint");
                flushMessages();
            }
            if (checkpointed != trainer.step()) {
                checkpoint();
            }
            flushMessages();
        } finally {
            notifyListeners(l -> l.onFinish(trainer.step()));
        }
        if (stop != null) {
            Throwable t = stop;
            stop = null;
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
        return trainer.step() - start;
    }

    /**
     * Calls every listener. A listener that throws while the thread is interrupted reports a stop
     * request (a notebook kernel's stop check fires in notebook code, such as a listener): the
     * iteration is complete, so the run ends as on an interrupt between iterations, with a
     * checkpoint, and {@link #train} then throws what the listener threw. Any other throw stops the
     * run with that exception.
     *
     * <p>The first such stop gets the same call once more: the kernel's check fires once, at whatever
     * listener call comes next (often the "interrupted" message itself, when the Stop landed while the
     * listener was already past its check), and the listener should still see that step or message.
     */
    private void notifyListeners(java.util.function.Consumer<TrainingListener> call) {
        for (TrainingListener l : List.copyOf(listeners)) {
            try {
                call.accept(l);
            } catch (RuntimeException | Error e) {
                if (!stopRequested()) {
                    throw e;
                }
                if (stop == null) {
                    stop = e;
                    try {
                        call.accept(l);
                    } catch (RuntimeException | Error again) {
                        e.addSuppressed(again); // stopping anyway
                        stopRequested(); // and the interrupt it may have raised again is taken too
                    }
                }
            }
        }
    }

    /**
     * Whether a Stop (the thread's interrupt) came during this {@link #train} call. The interrupt is
     * taken as soon as it is seen, so that it can neither break the step's file writes nor be lost
     * in code that clears it (user listeners; the JDK's font loader, see viz.TextThread).
     */
    private boolean stopRequested() {
        interruptTaken |= Thread.interrupted();
        return interruptTaken;
    }

    /** Where the run can be resumed from, for messages. */
    private String lastCheckpointNote() {
        try {
            Path latest = folder.latest();
            return latest == null ? "; no checkpoint was written yet"
                    : "; the last good checkpoint (" + latest + ") is kept: resume from it (resume --run "
                            + folder.root() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * What to do after a non-finite loss, gradient or state: the likely causes in order. The numbers
     * of the machine come first (libtorch computing wrong convolutions made step-1 NaN the common
     * case), then learning rates, which at the presets' values are an unlikely cause early on.
     */
    private String advice(long step) {
        boolean presetRates = java.util.stream.Stream.of(TrainOptions.tiny(), TrainOptions.mid(), TrainOptions.paper())
                .anyMatch(p -> p.lrG() == options.lrG() && p.lrD() == options.lrD());
        String rates = "lrG " + options.lrG() + ", lrD " + options.lrD()
                + (presetRates ? ": a preset's values" + (step <= 100 ? ", an unlikely cause at step " + step : "")
                        : ": not a preset's");
        return "; training stopped" + lastCheckpointNote() + ". Likely causes, most likely first: (1) wrong numbers "
                + "from this machine's libtorch: run `spade-anime doctor` (its self-check names the op); (2) learning "
                + "rates too high (" + rates + "); (3) bad input data. To skip such updates and go on with fresh "
                + "batches, set nanPolicy skip.";
    }

    private static TrainingFeed feed(BatchStream stream) {
        return m -> {
            Batch b = stream.next(m);
            return new NDList(b.label(), b.condition(), b.target());
        };
    }

    /**
     * Writes a checkpoint of the current step now (also done automatically). State holding NaN or
     * infinity is not written: {@link NonFiniteStateException}, and the previous checkpoint stays.
     */
    public Path checkpoint() throws IOException {
        Path dir = folder.checkpoint(trainer.step());
        try {
            TrainingCheckpoint.write(dir, trainer, metrics, trainStream.position(),
                    roughStream == null ? 0 : roughStream.position());
        } catch (NonFiniteStateException e) {
            throw e.withContext(" after step " + trainer.step() + advice(trainer.step()));
        }
        folder.setLatest(dir);
        folder.prune(options.keepCheckpoints());
        metrics.rewrite(folder.metricsFile()); // whole again at every checkpoint (rows are appended between)
        lossChart(true).save(folder.chart("d"));
        lossChart(false).save(folder.chart("g"));
        checkpointed = trainer.step();
        notifyListeners(l -> l.onCheckpoint(trainer.step(), dir));
        return dir;
    }

    /**
     * The loss curves so far, smoothed (EMA 0.9): D's terms (on a log axis unless WGAN, whose terms
     * go negative) or G's. Written to the run folder with every checkpoint.
     */
    public LossChart lossChart(boolean discriminator) {
        LossChart c = StepMetrics.chart(discriminator, discriminator ? "discriminator losses" : "generator losses",
                800, 400, options.adversarial());
        metrics.rows().forEach(m -> m.addTo(c, discriminator));
        return c;
    }

    /** The result tile of the current generator (its moving average where kept; not saved). */
    public BufferedImage tile() {
        return tiles.render(trainer.drawingGenerator(), trainer.manager());
    }

    private void writeTile() throws IOException {
        BufferedImage img = tile();
        Path file = folder.tile(trainer.step());
        Png.write(img, file);
        notifyListeners(l -> l.onTile(trainer.step(), img, file));
    }

    private void message(String text) {
        pendingMessages.add(text);
    }

    /** Hands queued messages to the listeners on the training thread (to the log if there are none). */
    private void flushMessages() {
        for (String m : pendingMessages) {
            if (listeners.isEmpty()) {
                LOG.warn(m);
            }
            notifyListeners(l -> l.onMessage(m));
        }
        pendingMessages.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            metrics.close();
        } finally {
            trainStream.close();
            if (roughStream != null) {
                roughStream.close();
            }
            trainer.close();
        }
    }
}
