package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.spadeanime.data.AnimeDataset;
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
            AnimeDataset data = TrainingRun.openData(o, o.data(), "data");
            HeldOutEvaluation.Result again = HeldOutEvaluation.evaluate(g, data.split(o.seed(), o.validFraction()).valid(),
                    Trainer.iterationSeed(base.seed(), -1), m);
            assertEquals(noNoise.result(), again);
        }

        Table t = a.table();
        assertEquals(2, t.rowCount());
        assertEquals(List.of("baseline", "no noise"), t.stringColumn("variant").asList());
        assertEquals(noNoise.result().l1(), t.doubleColumn("L1").get(1), 0);
        CategoryChart c = a.chart("hair ΔE2000", 400, 300);
        assertEquals(List.of("reference runs", "variants"), List.copyOf(c.getSeriesMap().keySet()));
        assertEquals(List.of(baseline.result().hairDeltaE(), 0.0),
                c.getSeriesMap().get("reference runs").getYData().stream().map(Number::doubleValue).toList(),
                "the baseline is drawn as the reference");
        assertTrue(Ablation.isReference(baseline) && !Ablation.isReference(noNoise));
        assertThrows(IllegalArgumentException.class, () -> a.chart("speed", 400, 300));
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
