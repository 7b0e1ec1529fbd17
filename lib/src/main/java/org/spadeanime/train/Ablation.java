package org.spadeanime.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DataView;
import org.spadeanime.infer.HeldOutEvaluation;
import org.spadeanime.io.AtomicFiles;
import org.spadeanime.model.Segmenter;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A fair ablation: each variant is the base options with some switches changed, trained from
 * scratch for the same number of iterations on the same data, and scored by
 * {@link HeldOutEvaluation} on its validation split with the same noise seed. Variants may not
 * change the budget or the evaluation set (data, validation fraction, iterations, batch size,
 * n_dis); a variant that changes the seed gets new weights, a new data order and a new split, which
 * is how the run-to-run spread of the scores is measured.
 *
 * <pre>{@code
 * Ablation a = new Ablation(TrainOptions.tiny().withData(dir), Path.of("runs/ablation"), 500);
 * a.run("baseline", o -> o);
 * a.run("no spectral norm", o -> o.withModel(m -> m.withSpectralNorm(false)));
 * display(a.table());
 * }</pre>
 */
public final class Ablation {

    /** Options a variant must keep: they define the budget and the evaluation set. */
    public static final List<String> FIXED = List.of("data", "validFraction", "iterations", "batchSize", "nDis");

    /** Score columns of {@link #table()} that {@link #chart} can draw. */
    public static final List<String> SCORES = List.of("L1", "PSNR (dB)", "hair ΔE2000", "mIoU");

    /** The {@link #SCORES} where more is better. */
    static final List<String> HIGHER_IS_BETTER = List.of("PSNR (dB)", "mIoU");

    /**
     * One trained and scored variant.
     *
     * @param changes the options it changes, e.g. "model.spectralNorm = false" ("—" for none)
     * @param seconds wall time of its training
     */
    public record Variant(String name, String changes, TrainOptions options, long steps, double seconds,
                          long generatorParameters, HeldOutEvaluation.Result result) {}

    private final TrainOptions base;
    private final Path root;
    private final long steps;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<Variant> variants = new ArrayList<>();
    private Segmenter segmenter;

    /**
     * Variants of {@code base} trained for {@code steps} iterations each (the poly schedule is
     * stretched to that length), in run folders under {@code root}.
     */
    public Ablation(TrainOptions base, Path root, long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("ablation: steps " + steps + ", expected at least 1");
        }
        this.base = base.withIterations(steps);
        this.root = root;
        this.steps = steps;
    }

    /** Hears every variant's run (a progress line, say). */
    public Ablation addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Scores every variant run from now on with {@code segmenter} too (the mIoU columns; null: no
     * segmentation score, NaN in those columns).
     */
    public Ablation withSegmenter(Segmenter segmenter) {
        this.segmenter = segmenter;
        return this;
    }

    /** The base options (with iterations = steps). */
    public TrainOptions base() {
        return base;
    }

    public long steps() {
        return steps;
    }

    /**
     * Trains the variant {@code change(base)} from scratch in {@code root/<name as a folder name>}
     * (an earlier run there is deleted), scores it, and returns (and keeps) its row; {@code listeners}
     * hear this variant's run only (after those of {@link #addListener}).
     */
    public Variant run(String name, UnaryOperator<TrainOptions> change, TrainingListener... listeners)
            throws IOException {
        if (variants.stream().anyMatch(v -> v.name().equals(name))) {
            throw new IllegalArgumentException("ablation: there already is a variant named '" + name + "'");
        }
        TrainOptions o = change.apply(base);
        String changes = changes(base, o);
        for (String f : FIXED) {
            if (!base.toJsonTree().get(f).equals(o.toJsonTree().get(f))) {
                throw new IllegalArgumentException("ablation variant '" + name + "' changes " + f + " (" + changes
                        + "); every variant must keep " + String.join(", ", FIXED) + " for a fair comparison");
            }
        }
        Path dir = root.resolve(folderName(name));
        if (Files.exists(dir)) {
            AtomicFiles.deleteTree(dir);
        }
        try (TrainingRun run = TrainingRun.start(dir, o)) {
            this.listeners.forEach(run::addListener);
            for (TrainingListener l : listeners) {
                run.addListener(l);
            }
            long t0 = System.nanoTime();
            run.train(steps);
            double seconds = (System.nanoTime() - t0) / 1e9;
            AnimeDataset data = o.runData().open(o.data(), "data");
            DataView valid = data.split(o.seed(), o.validFraction()).valid();
            HeldOutEvaluation.Result result;
            try (NDManager m = run.trainer().manager().newSubManager()) {
                result = HeldOutEvaluation.evaluate(run.trainer().drawingGenerator(), valid,
                        Trainer.iterationSeed(base.seed(), -1), m, segmenter, (done, total) -> { });
            }
            Variant v = new Variant(name, changes, o, run.step(), seconds, run.trainer().generator().summary().total(),
                    result);
            variants.add(v);
            return v;
        }
    }

    /** The variants run so far, in order. */
    public List<Variant> variants() {
        return List.copyOf(variants);
    }

    /**
     * One row per variant: name, changes, steps, training seconds, generator parameters, then the
     * held-out means (L1, PSNR, hair ΔE2000, and the real images' hair ΔE2000 as the floor), the
     * frame ΔE2000 (tinted border; the real images' as its floor), the background ΔE2000, the halo ΔE2000 around the hair, the checkerboard
     * energy (period-2 texture; the real images' as its floor) and ratio (the same over all detail), and the mIoU of the drawn and of the real images (NaN without {@link #withSegmenter}).
     */
    public Table table() {
        StringColumn name = StringColumn.create("variant");
        StringColumn changes = StringColumn.create("changes");
        LongColumn stepCol = LongColumn.create("steps");
        DoubleColumn seconds = DoubleColumn.create("train s");
        LongColumn params = LongColumn.create("G parameters");
        DoubleColumn l1 = DoubleColumn.create(SCORES.get(0));
        DoubleColumn psnr = DoubleColumn.create(SCORES.get(1));
        DoubleColumn hair = DoubleColumn.create(SCORES.get(2));
        DoubleColumn floor = DoubleColumn.create("real hair ΔE2000");
        DoubleColumn frame = DoubleColumn.create("frame ΔE2000");
        DoubleColumn realFrame = DoubleColumn.create("real frame ΔE2000");
        DoubleColumn background = DoubleColumn.create("background ΔE2000");
        DoubleColumn halo = DoubleColumn.create("halo ΔE2000");
        DoubleColumn checker = DoubleColumn.create("checkerboard");
        DoubleColumn realChecker = DoubleColumn.create("real checkerboard");
        DoubleColumn checkerRatio = DoubleColumn.create("checkerboard ratio");
        DoubleColumn miou = DoubleColumn.create(SCORES.get(3));
        DoubleColumn realMiou = DoubleColumn.create("real mIoU");
        for (Variant v : variants) {
            name.append(v.name());
            changes.append(v.changes());
            stepCol.append(v.steps());
            seconds.append(v.seconds());
            params.append(v.generatorParameters());
            l1.append(v.result().l1());
            psnr.append(v.result().psnr());
            hair.append(v.result().hairDeltaE());
            floor.append(v.result().realHairDeltaE());
            frame.append(v.result().frameDeltaE());
            realFrame.append(v.result().realFrameDeltaE());
            background.append(v.result().backgroundDeltaE());
            halo.append(v.result().haloDeltaE());
            checker.append(v.result().checkerboard());
            realChecker.append(v.result().realCheckerboard());
            checkerRatio.append(v.result().checkerboardRatio());
            miou.append(v.result().meanIoU());
            realMiou.append(v.result().realMeanIoU());
        }
        return Table.create("ablation: " + steps + " iterations each, scored on the validation split", name, changes,
                stepCol, seconds, params, l1, psnr, hair, floor, frame, realFrame, background, halo, checker, realChecker, checkerRatio, miou,
                realMiou);
    }

    /**
     * Bars of one score column ({@link #SCORES}) per variant; the reference runs (no change but
     * perhaps the seed) in grey, the variants in blue.
     */
    public CategoryChart chart(String score, int width, int height) {
        if (!SCORES.contains(score)) {
            throw new IllegalArgumentException("ablation chart: unknown score '" + score + "', expected one of " + SCORES);
        }
        List<String> names = variants.stream().map(Variant::name).toList();
        List<Boolean> reference = variants.stream().map(Ablation::isReference).toList();
        return barChart(score + (HIGHER_IS_BETTER.contains(score) ? " (higher is better)" : " (lower is better)"), names,
                table().doubleColumn(score).asList(), reference, width, height);
    }

    /**
     * Bars of {@code values}, reference runs grey, with the axis zoomed to the values (differences of
     * 0.02 L1 were invisible on an axis from 0) and the seed spread (max − min of the reference runs,
     * when there are two or more) as a ± half-spread error bar on every bar, the yardstick of the rest.
     */
    static CategoryChart barChart(String title, List<String> names, List<Double> values, List<Boolean> reference,
            int width, int height) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title).build();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double refLo = Double.POSITIVE_INFINITY;
        double refHi = Double.NEGATIVE_INFINITY;
        int refs = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            if (reference.get(i)) {
                refLo = Math.min(refLo, v);
                refHi = Math.max(refHi, v);
                refs++;
            }
        }
        double half = refs >= 2 ? (refHi - refLo) / 2 : 0;
        double pad = Math.max((hi - lo + 2 * half) * 0.15, Math.abs(hi) * 1e-3 + 1e-9);
        double axisMin = lo - half - pad;
        // every run in blue, then the reference runs in grey on top; XChart takes no missing values,
        // so the other runs' grey bars have height 0 (they end at the axis minimum)
        List<Double> refValues = new ArrayList<>();
        List<Double> refSpread = new ArrayList<>();
        List<Double> spread = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            refValues.add(reference.get(i) ? values.get(i) : axisMin);
            refSpread.add(reference.get(i) ? half : 0.0);
            spread.add(half);
        }
        c.addSeries("variants", names, values, spread).setFillColor(new Color(0, 114, 178));
        c.addSeries("reference runs", names, refValues, refSpread).setFillColor(new Color(150, 150, 150));
        c.getStyler().setOverlapped(true);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridVerticalLinesVisible(false);
        c.getStyler().setDecimalPattern("#,##0.###");
        c.getStyler().setErrorBarsColor(Color.BLACK);
        c.getStyler().setYAxisMin(axisMin);
        c.getStyler().setYAxisMax(hi + half + pad);
        return c;
    }

    /**
     * One score against the baseline, with the seed spread as the yardstick.
     *
     * @param baseline the first run's score
     * @param spread |second − first|: the same options reseeded
     * @param beyond the other runs whose difference to the baseline exceeds the spread, by name
     *     (their signed difference), in table order
     */
    public record Verdict(String score, double baseline, double spread, Map<String, Double> beyond) {

        /** "L1: baseline 0.412, seed spread 0.010; beyond it: no noise (+0.031)". */
        @Override
        public String toString() {
            List<String> b = new ArrayList<>();
            beyond.forEach((name, d) -> b.add(String.format(Locale.ROOT, "%s (%+.3f)", name, d)));
            return String.format(Locale.ROOT, "%s: baseline %.3f, seed spread %.3f; beyond it: %s", score, baseline,
                    spread, b.isEmpty() ? "none" : String.join(", ", b));
        }
    }

    /**
     * Each {@link #SCORES} column of {@code results} (a {@link #table()}, perhaps rounded; columns absent or NaN,
     * such as mIoU without a segmenter, are left out) against
     * its first row, the baseline, with the distance to the second row (the baseline reseeded) as the
     * yardstick: a smaller difference is indistinguishable from a reseeded run. Two runs give only a
     * rough idea of the spread, so "beyond" means "worth a longer look", not a finding.
     */
    public static List<Verdict> verdicts(Table results) {
        if (results.rowCount() < 2) {
            throw new IllegalArgumentException("seed spread: expected the baseline and a reseeded baseline first, got "
                    + results.rowCount() + " run(s)");
        }
        List<String> names = results.stringColumn("variant").asList();
        List<Verdict> out = new ArrayList<>();
        for (String score : SCORES) {
            if (!results.columnNames().contains(score) || Double.isNaN(results.doubleColumn(score).get(0))) {
                continue; // e.g. mIoU of an ablation without a segmenter
            }
            DoubleColumn c = results.doubleColumn(score);
            double spread = Math.abs(c.get(1) - c.get(0));
            Map<String, Double> beyond = new LinkedHashMap<>();
            for (int i = 2; i < c.size(); i++) {
                if (Math.abs(c.get(i) - c.get(0)) > spread) {
                    beyond.put(names.get(i), c.get(i) - c.get(0));
                }
            }
            out.add(new Verdict(score, c.get(0), spread, beyond));
        }
        return out;
    }

    /** A run of the base options, perhaps with another seed: the yardstick of the comparison. */
    static boolean isReference(Variant v) {
        return v.changes().equals("—") || v.changes().matches("seed = \\d+");
    }

    /**
     * The options {@code o} sets differently from {@code base}, as "name = value" joined by ", "
     * (model options as model.name), or "—" when none.
     */
    public static String changes(TrainOptions base, TrainOptions o) {
        List<String> out = new ArrayList<>();
        diff("", base.toJsonTree(), o.toJsonTree(), out);
        return out.isEmpty() ? "—" : String.join(", ", out);
    }

    private static void diff(String prefix, JsonObject a, JsonObject b, List<String> out) {
        for (String k : b.keySet()) {
            JsonElement x = a.get(k);
            JsonElement y = b.get(k);
            if (x != null && x.isJsonObject() && y.isJsonObject()) {
                diff(prefix + k + ".", x.getAsJsonObject(), y.getAsJsonObject(), out);
            } else if (!y.equals(x)) {
                out.add(prefix + k + " = " + (y.isJsonPrimitive() ? y.getAsString() : y));
            }
        }
    }

    /** "no spectral norm" → "no-spectral-norm". */
    static String folderName(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "variant" : s;
    }
}
