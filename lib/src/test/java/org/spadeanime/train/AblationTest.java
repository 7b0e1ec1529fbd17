package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.infer.HeldOutEvaluation;
import org.spadeanime.model.SpadeGenerator;
import tech.tablesaw.api.Table;

/** {@link Ablation}: same budget and evaluation set per variant, the recorded changes, refusals, the table. */
class AblationTest {

    @TempDir
    Path tmp;

    @Test
    void variantsTrainTheSameBudgetAndAreScoredOnTheSameValidationSplit() throws IOException {
        TrainOptions base = TestRuns.quick(TestRuns.synthetic(tmp.resolve("synthetic")));
        Ablation a = new Ablation(base, tmp.resolve("ablation"), 2);
        assertEquals(2, a.base().iterations(), "the schedule is stretched to the budget");
        Ablation.Variant baseline = a.run("baseline", o -> o);
        List<Long> heard = new java.util.ArrayList<>();
        Ablation.Variant noNoise = a.run("no noise", o -> o.with("model.noise", false), new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                heard.add(m.step());
            }
        });
        assertEquals(List.of(1L, 2L), heard, "a variant's own listener hears its run");
        assertEquals("—", baseline.changes());
        assertEquals("model.noise = false", noNoise.changes());
        for (Ablation.Variant v : List.of(baseline, noNoise)) {
            assertEquals(2, v.steps());
            assertTrue(v.seconds() > 0);
            assertTrue(Double.isFinite(v.result().l1()) && Double.isFinite(v.result().psnr())
                    && Double.isFinite(v.result().hairDeltaE()), v.result().toString());
        }
        assertTrue(noNoise.generatorParameters() < baseline.generatorParameters(), "noise scales are parameters");
        assertEquals(baseline.result().size(), noNoise.result().size());
        assertEquals(baseline.result().realHairDeltaE(), noNoise.result().realHairDeltaE(), 0,
                "the same validation images: the same floor");

        // The score is HeldOutEvaluation of the run's final generator (its moving average).
        Path checkpoint = new RunFolder(tmp.resolve("ablation").resolve("no-noise")).latest();
        TrainOptions o = noNoise.options();
        try (NDManager m = NDManager.newBaseManager()) {
            SpadeGenerator g = SpadeGenerator.load(checkpoint.resolve(TrainingCheckpoint.GENERATOR_EMA), m);
            AnimeDataset data = o.runData().open(o.data(), "data");
            HeldOutEvaluation.Result again = HeldOutEvaluation.evaluate(g, data.split(o.seed(), o.validFraction()).valid(),
                    Trainer.iterationSeed(base.seed(), -1), m);
            assertEquals(noNoise.result(), again);
        }

        Table t = a.table();
        assertEquals(2, t.rowCount());
        assertEquals(List.of("baseline", "no noise"), t.stringColumn("variant").asList());
        assertEquals(noNoise.result().l1(), t.doubleColumn("L1").get(1), 0);
        CategoryChart c = a.chart("hair ΔE2000", 400, 300);
        assertEquals(List.of("variants", "reference runs"), List.copyOf(c.getSeriesMap().keySet()));
        List<? extends Number> grey = List.copyOf(c.getSeriesMap().get("reference runs").getYData());
        assertEquals(baseline.result().hairDeltaE(), grey.get(0).doubleValue(), 0, "the baseline is drawn as the reference");
        assertEquals(c.getStyler().getYAxisMin(), grey.get(1).doubleValue(), 0, "no grey bar for a variant");
        assertTrue(Ablation.isReference(baseline) && !Ablation.isReference(noNoise));
        assertThrows(IllegalArgumentException.class, () -> a.chart("speed", 400, 300));
    }

    @Test
    void barsZoomToTheValuesWithTheSeedSpreadAsErrorBars() throws IOException {
        CategoryChart c = Ablation.barChart("L1", List.of("baseline", "seed 2", "no noise", "ASPP"),
                List.of(0.40, 0.42, 0.45, 0.38), List.of(true, true, false, false), 360, 360);
        double min = c.getStyler().getYAxisMin();
        double max = c.getStyler().getYAxisMax();
        assertTrue(min > 0.3 && min < 0.37 && max > 0.46 && max < 0.55, "axis " + min + " .. " + max);
        List<? extends Number> bars = List.copyOf(c.getSeriesMap().get("variants").getExtraValues());
        List<? extends Number> greyBars = List.copyOf(c.getSeriesMap().get("reference runs").getExtraValues());
        assertEquals(0.01, greyBars.get(0).doubleValue(), 1e-12);
        assertEquals(0.0, greyBars.get(2).doubleValue(), 0);
        assertEquals(4, bars.size());
        for (Number b : bars) {
            assertEquals(0.01, b.doubleValue(), 1e-12, "± half the spread of the two reference runs");
        }
        java.awt.image.BufferedImage img = org.knowm.xchart.BitmapEncoder.getBufferedImage(c);
        String preview = System.getProperty("spade.chartPreview");
        if (preview != null) {
            org.spadeanime.io.Png.write(img, Path.of(preview));
        }
        CategoryChart one = Ablation.barChart("L1", List.of("baseline", "x"), List.of(0.4, 0.5), List.of(true, false),
                360, 360);
        assertEquals(0.0, List.copyOf(one.getSeriesMap().get("variants").getExtraValues()).get(1).doubleValue(),
                "one reference run: no spread");
    }

    @Test
    void variantsThatChangeTheBudgetOrTheDataAreRefused() throws IOException {
        TrainOptions base = TestRuns.quick(TestRuns.synthetic(tmp.resolve("synthetic")));
        Ablation a = new Ablation(base, tmp.resolve("ablation"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.run("longer", o -> o.withIterations(5)));
        assertTrue(e.getMessage().contains("changes iterations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.run("other data", o -> o.withData(tmp)));
        assertTrue(e.getMessage().contains("changes data"), e.getMessage());
        assertEquals("seed = 2", Ablation.changes(a.base(), a.base().withSeed(2)));
        assertEquals("model.upsampling = NEAREST, gpForm = SQUARED_SUM", Ablation.changes(a.base(),
                a.base().with("model.upsampling", "nearest").with("gpForm", "squared_sum")));
        assertEquals("no-spectral-norm", Ablation.folderName("No spectral norm!"));
        a.run("once", o -> o);
        assertThrows(IllegalArgumentException.class, () -> a.run("once", o -> o));
    }
}
