package org.spadeanime.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.DjlRuntime;
import org.spadeanime.data.AnimeDataset;
import org.spadeanime.data.DatasetOptions;
import org.spadeanime.data.Sample;
import org.spadeanime.data.SyntheticAnime;
import org.spadeanime.metrics.ImageMetrics;
import org.spadeanime.model.ModelOptions;
import org.spadeanime.model.SpadeGenerator;
import org.spadeanime.viz.Tiles;

/** {@link HairSweep} with a tiny untrained generator: the conditions, the seeded noise, the measurement. */
class HairSweepTest {

    @TempDir
    Path tmp;

    @Test
    void eachColourIsPaintedOnTheHairAndOnlyTheColourChangesTheDrawing() throws IOException {
        new SyntheticAnime(64).write(tmp, 0, 1, 3, 1, n -> { });
        AnimeDataset data = AnimeDataset.open(tmp, DatasetOptions.defaults().withResolution(64));
        Sample sample = data.sample(0, false);
        int hairChannel = data.palette().hairChannel();
        boolean[] hair = sample.label().mask(hairChannel);
        DjlRuntime.init();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            SpadeGenerator g = new SpadeGenerator(ModelOptions.tiny());
            g.initialize(manager);
            HairSweep sweep = HairSweep.draw(g, sample, hairChannel, 5, manager, 0xD02020, 0x2040E0, 0xD02020);
            assertEquals(3, sweep.drawings().size());
            for (HairSweep.Drawing d : sweep.drawings()) {
                int[] px = d.condition().getRGB(0, 0, 64, 64, null, 0, 64);
                for (int i = 0; i < px.length; i++) {
                    assertEquals(hair[i] ? d.requestedRgb() : 0, px[i] & 0xFFFFFF, "condition pixel " + i);
                }
                assertEquals(ImageMetrics.hairColorDeltaE(d.image(), hair, d.requestedRgb()), d.hairDeltaE(), 0);
                assertTrue(Double.isFinite(d.hairDeltaE()));
            }
            assertTrue(pixelsEqual(sweep.drawings().get(0).image(), sweep.drawings().get(2).image()),
                    "the same colour with the same noise draws the same image");
            assertFalse(pixelsEqual(sweep.drawings().get(0).image(), sweep.drawings().get(1).image()),
                    "another colour draws another image");
            assertEquals(3, sweep.table().rowCount());
            assertEquals("#2040E0", sweep.table().stringColumn(0).get(1));
            BufferedImage img = sweep.image(2);
            assertTrue(img.getWidth() >= 3 * 128 && img.getHeight() >= 2 * (128 + Tiles.CAPTION_HEIGHT), "2 rows of 3");
            assertThrows(IllegalArgumentException.class, () -> HairSweep.draw(g, sample, hairChannel, 5, manager));
        }
    }

    private static boolean pixelsEqual(BufferedImage a, BufferedImage b) {
        return Arrays.equals(a.getRGB(0, 0, 64, 64, null, 0, 64), b.getRGB(0, 0, 64, 64, null, 0, 64));
    }
}
