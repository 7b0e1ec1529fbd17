package org.spadeanime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.loss.AdversarialLoss;
import org.spadeanime.loss.GradientPenalty;
import org.spadeanime.model.ModelOptions;

class TrainOptionsTest {

    @Test
    void paperPresetIsTheOriginalsRecipe() {
        TrainOptions p = TrainOptions.paper();
        assertEquals(ModelOptions.paper(), p.model());
        assertEquals(1, p.batchSize());
        assertEquals(100_000, p.iterations());
        assertEquals(2, p.nDis());
        assertEquals(5e-5, p.lrG());
        assertEquals(2e-4, p.lrD());
        assertEquals(0, p.beta1G());
        assertEquals(0.9, p.beta2D());
        assertEquals(0.4, p.polyStart());
        assertEquals(100, p.polyInterval());
        assertEquals(AdversarialLoss.HINGE, p.adversarial());
        assertEquals(GradientPenalty.Form.R1, p.gpForm());
        assertEquals(GradientPenalty.Target.REAL, p.gpTarget());
        assertEquals(10, p.gpCoef());
        assertEquals(10, p.fmCoef());
        assertEquals(10, p.perceptualCoef());
        assertEquals(0.1, p.roughWeight());
        assertNull(p.roughData());
        assertEquals(ModelOptions.tiny(), TrainOptions.tiny().model());
    }

    @Test
    void jsonRoundTripsEveryField(@TempDir Path dir) throws IOException {
        TrainOptions o = TrainOptions.tiny().with("roughData", dir.resolve("rough")).with("nanPolicy", "skip")
                .with("model.ngf", 16).with("gpTarget", "real_fake").with("lrG", "1e-4");
        assertEquals(16, o.model().ngf());
        assertEquals(32, o.with("model.ngf", "32").model().ngf(), "command-line text for a model option");
        assertEquals(Path.of("1e5"), o.with("data", "1e5").data(), "a path that looks like a number stays a path");
        assertEquals(1e-4, o.lrG());
        assertEquals(o, TrainOptions.fromJson(o.toJson()));
        Path f = dir.resolve("o.json");
        Files.writeString(f, "{\"iterations\": 7, \"model\": {\"resolution\": 64}}");
        TrainOptions fromFile = TrainOptions.tiny().withJson(f);
        assertEquals(7, fromFile.iterations());
        assertEquals(4, fromFile.batchSize(), "fields the file lacks keep the base's value");
        assertEquals(64, fromFile.model().resolution());
    }

    @Test
    void badValuesNameTheOption() {
        assertMessage("train option lrG", () -> TrainOptions.tiny().with("lrG", -1));
        assertMessage("train option nDis", () -> TrainOptions.tiny().with("nDis", 0));
        assertMessage("train option beta2D", () -> TrainOptions.tiny().with("beta2D", 1.0));
        assertMessage("train option device", () -> TrainOptions.tiny().with("device", "tpu"));
        assertMessage("train option batchSize: expected an integer", () -> TrainOptions.tiny().with("batchSize", "x"));
        assertMessage("train option nanPolicy: expected one of stop, skip", () -> TrainOptions.tiny().with("nanPolicy", "ignore"));
        assertMessage("unknown train option 'lr'", () -> TrainOptions.tiny().with("lr", 1));
        assertMessage("model option ngf", () -> TrainOptions.tiny().with("model.ngf", 3));
        assertMessage("unknown train option 'foo'", () -> TrainOptions.fromJson("{\"foo\": 1}"));
        assertMessage("preset 'huge'", () -> TrainOptions.preset("huge"));
    }

    @Test
    void presetsByName() {
        assertEquals(TrainOptions.tiny(), TrainOptions.preset(" Tiny "));
        assertEquals(TrainOptions.paper(), TrainOptions.preset("paper"));
        TrainOptions mid = TrainOptions.preset("mid");
        assertEquals(ModelOptions.mid(), mid.model());
        assertEquals(TrainOptions.tiny().withModel(ModelOptions.mid()), mid);
        // cpu128-l1 is cpu128 with the two levers of the 128² ablation, nothing else
        TrainOptions l1 = TrainOptions.preset("cpu128-l1");
        assertEquals(1000, l1.l1Coef());
        assertEquals(5e-4, l1.lrG());
        assertEquals(TrainOptions.cpu128(), l1.with(b -> b.l1Coef(10).lrG(1e-4)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), "message '" + x.getMessage() + "' should contain '" + expected + "'");
    }
}
