package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spadeanime.model.ModelFixtures.assertClose;
import static org.spadeanime.model.ModelFixtures.get;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole generator (four variants) and discriminator against the PyTorch fixtures. */
class NetworkFixturesTest extends EngineTestBase {

    private NDList inputs;

    @BeforeEach
    void loadInputs() {
        inputs = ModelFixtures.load(manager, "network_inputs");
    }

    @AfterAll
    static void report() {
        ModelFixtures.printErrors();
    }

    @ParameterizedTest
    @ValueSource(strings = {"generator", "generator_aspp_subpixel", "generator_none_nearest", "generator_reflect"})
    void generator(String name) {
        SpadeGenerator g = new SpadeGenerator(ModelFixtures.options(name));
        g.initialize(manager);
        NDList f = ModelFixtures.load(manager, name);
        ModelFixtures.assignParameters(g, f);
        g.setNoiseSource(ModelFixtures.patternNoise());
        NDList in = new NDList(get(inputs, "in.label"), get(inputs, "in.condition"));
        assertClose(name, "training image", g.forward(ps, in, true).head(), f, "out.0");
        compareStateAfterTraining(name, g, f);
        if (ModelFixtures.index(name).get("eval").getAsBoolean()) {
            assertClose(name, "eval image", g.forward(ps, in, false).head(), f, "eval.0");
        }
    }

    @Test
    void discriminatorLogitsFeaturesAndInputGradient() {
        String name = "discriminator";
        PatchDiscriminator d = new PatchDiscriminator(ModelFixtures.options(name));
        d.initialize(manager);
        NDList f = ModelFixtures.load(manager, name);
        ModelFixtures.assignParameters(d, f);
        NDArray label = get(inputs, "in.label");
        NDArray image = get(inputs, "in.image");
        NDArray condition = get(inputs, "in.condition");
        NDList out = d.forward(ps, new NDList(label, image, condition), true);
        assertEquals(6, out.size());
        String[] what = {"logits", "feature1", "feature2", "feature3", "feature4", "feature5"};
        for (int i = 0; i < 6; i++) {
            assertClose(name, "training " + what[i], out.get(i), f, "out." + i);
        }
        compareStateAfterTraining(name, d, f);
        NDList eval = d.forward(ps, new NDList(label, image, condition), false);
        for (int i = 0; i < 6; i++) {
            assertClose(name, "eval " + what[i], eval.get(i), f, "eval." + i);
        }
        NDArray img = image.duplicate();
        img.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = d.forward(ps, new NDList(label, img, condition), true).head();
            gc.backward(logits.mul(get(f, "grad.r")).sum());
        }
        assertClose(name, "image gradient", img.getGradient(), f, "grad.image");
    }

    /** Spectral-norm u, v and batch-norm running statistics after the training forward. */
    private static void compareStateAfterTraining(String name, SpadeNetwork net, NDList f) {
        Map<String, ai.djl.nn.Parameter> params = ModelSummary.parameters(net);
        for (NDArray a : f) {
            if (a.getName().startsWith("after.")) {
                String path = a.getName().substring(6);
                assertClose(name, path, params.get(path).getArray(), a);
            }
        }
    }
}
