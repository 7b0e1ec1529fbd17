package org.spadeanime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.DjlRuntime;

/**
 * The output shape of every stage of real forwards, against the seed reference's table at 256²
 * (ngf = ndf = 64, spade_ch 32) and the derived layouts at 128² and 64².
 */
class ShapesTest {

    // stage: channels@side, in forward order (batch 1)
    private static final String G256 = "w1 32@256, w2 32@256, head 512@4, r1 512@4, up1 512@8, r2 512@8, "
            + "up2 512@16, r3 512@16, up3 512@32, r4 256@32, up4 256@64, r5 128@64, up5 128@128, "
            + "r6 64@128, up6 64@256, r7 32@256, to_img 3@256, image 3@256";
    private static final String D256 = "input 10@256, feature1 64@128, feature2 128@64, att 256@32, "
            + "feature3 256@32, feature4 512@31, head 512@30, r1 256@30, r2 128@30, r3 64@30, "
            + "feature5 64@30, logits 1@30";
    private static final String G128 = "w1 32@128, w2 32@128, head 512@4, r1 512@4, up1 512@8, r2 512@8, "
            + "up2 512@16, r3 256@16, up3 256@32, r4 128@32, up4 128@64, r5 64@64, up5 64@128, "
            + "r6 32@128, to_img 3@128, image 3@128";
    private static final String D128 = "input 10@128, feature1 64@64, feature2 128@32, att 256@16, "
            + "feature3 256@16, feature4 512@15, head 512@14, r1 256@14, r2 128@14, r3 64@14, "
            + "feature5 64@14, logits 1@14";
    private static final String G64 = "w1 32@64, w2 32@64, head 512@4, r1 512@4, up1 512@8, r2 256@8, "
            + "up2 256@16, r3 128@16, up3 128@32, r4 64@32, up4 64@64, r5 32@64, to_img 3@64, image 3@64";
    private static final String D64 = "input 10@64, feature1 64@32, feature2 128@16, att 256@8, "
            + "feature3 256@8, feature4 512@7, head 512@6, r1 256@6, r2 128@6, r3 64@6, "
            + "feature5 64@6, logits 1@6";

    @Test
    void paperAt256MatchesTheSeedReference() {
        check(ModelOptions.paper(), G256, D256);
    }

    @Test
    void at128() {
        check(ModelOptions.paper().withResolution(128), G128, D128);
    }

    @Test
    void at64() {
        check(ModelOptions.paper().withResolution(64), G64, D64);
    }

    @Test
    void wrongInputsNameTheInputAndTheExpectedShape() {
        DjlRuntime.init();
        ModelOptions o = ModelOptions.tiny();
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            SpadeGenerator g = new SpadeGenerator(o);
            g.initialize(manager);
            PatchDiscriminator d = new PatchDiscriminator(o);
            d.initialize(manager);
            NDList wrongSize = new NDList(manager.zeros(new Shape(2, 4, 32, 32)), manager.zeros(new Shape(2, 3, 32, 32)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.forward(ps, wrongSize, true));
            assertEquals("SpadeGenerator: label must be (2, 4, 64, 64) for these options (resolution 64), "
                    + "got (2, 4, 32, 32)", e.getMessage());
            NDList swapped = new NDList(manager.zeros(new Shape(1, 4, 64, 64)), manager.zeros(new Shape(1, 3, 64, 64)),
                    manager.zeros(new Shape(1, 4, 64, 64)));
            e = assertThrows(IllegalArgumentException.class, () -> d.forward(ps, swapped, true));
            assertTrue(e.getMessage().startsWith("PatchDiscriminator: condition must be (1, 3, 64, 64)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.forward(ps, wrongSize, true));
            assertTrue(e.getMessage().contains("expected NDList(label, image, condition), got 2 arrays"), e.getMessage());
        }
    }

    private static void check(ModelOptions o, String expectedG, String expectedD) {
        DjlRuntime.init();
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            SpadeGenerator g = new SpadeGenerator(o);
            g.initialize(manager);
            PatchDiscriminator d = new PatchDiscriminator(o);
            d.initialize(manager);
            List<String> gStages = new ArrayList<>();
            List<String> dStages = new ArrayList<>();
            g.setStageListener((name, x) -> gStages.add(describe(name, x.getShape())));
            d.setStageListener((name, x) -> dStages.add(describe(name, x.getShape())));
            try (NDManager step = manager.newSubManager()) {
                int r = o.resolution();
                NDList gIn = new NDList(step.randomUniform(0f, 1f, new Shape(1, o.numClasses(), r, r)),
                        step.randomUniform(0f, 1f, new Shape(1, 3, r, r)));
                NDList image = g.forward(ps, gIn, true);
                NDList dOut = d.forward(ps, new NDList(gIn.get(0), image.head(), gIn.get(1)), true);
                assertEquals(expectedG, String.join(", ", gStages));
                assertEquals(expectedD, String.join(", ", dStages));
                // the static shape inference agrees with the real forward
                assertArrayEquals(g.getOutputShapes(gIn.getShapes()), image.getShapes());
                assertArrayEquals(d.getOutputShapes(o.discriminatorInputShapes(1)), dOut.getShapes());
                assertEquals(o.patchSize(), dOut.head().getShape().get(2));
            }
        }
    }

    private static String describe(String name, Shape s) {
        assertEquals(1, s.get(0), name + " batch");
        assertEquals(s.get(2), s.get(3), name + " is square");
        return name + " " + s.get(1) + "@" + s.get(2);
    }
}
