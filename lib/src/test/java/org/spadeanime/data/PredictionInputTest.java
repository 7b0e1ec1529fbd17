package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.Png;
import org.spadeanime.label.LabelPalette;

class PredictionInputTest {

    @TempDir
    Path dir;

    @Test
    void labelAloneGetsARandomHairColourAndLabelPlusColourUsesTheMap() throws IOException {
        SyntheticSample s = new SyntheticAnime(32).render(4, 0);
        Path alone = dir.resolve("alone.png");
        Png.write(s.label(), alone);
        BufferedImage pair = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        pair.getGraphics().drawImage(s.label(), 0, 0, null);
        pair.getGraphics().drawImage(s.colourMap(), 32, 0, null);
        Path both = dir.resolve("both.png");
        Png.write(pair, both);
        LabelPalette p = LabelPalette.anime();

        Sample a = PredictionInput.read(alone, p, 32, new Random(7));
        assertEquals(new Random(7).nextInt(0x1000000), a.hairRgb(), "the colour comes from the given Random");
        assertEquals("alone", a.name());
        assertFalse(a.hasTarget());
        Sample b = PredictionInput.read(both, p, 32, new Random(7));
        assertEquals(-1, b.hairRgb());
        int plane = 32 * 32;
        for (int k = 0; k < plane; k++) {
            boolean hair = a.label().code(k) == 3;
            assertEquals(hair ? (a.hairRgb() & 0xFF) / 255f : 0f, a.condition()[2 * plane + k], 1e-6f);
            assertEquals(hair ? (s.hairRgb() & 0xFF) / 255f : 0f, b.condition()[2 * plane + k], 1e-6f);
        }
        try (Batch batch = Batch.of(List.of(a, b), TestData.manager())) {
            assertEquals(new Shape(2, 4, 32, 32), batch.label().getShape());
            assertEquals(new Shape(2, 3, 32, 32), batch.condition().getShape());
            assertFalse(batch.hasTarget());
            assertThrows(IllegalStateException.class, batch::target);
        }
    }

    @Test
    void withHairColourPaintsTheRequestedColourOnTheHairOnly() throws IOException {
        Path file = dir.resolve("label.png");
        Png.write(new SyntheticAnime(32).render(4, 1).label(), file);
        Sample s = PredictionInput.read(file, LabelPalette.anime(), 32, new Random(1));
        Sample red = s.withHairColour(0xFF8000, LabelPalette.anime().hairChannel());
        assertEquals(0xFF8000, red.hairRgb());
        assertEquals(s.label(), red.label());
        int plane = 32 * 32;
        int hair = 0;
        for (int k = 0; k < plane; k++) {
            boolean isHair = s.label().code(k) == 3;
            hair += isHair ? 1 : 0;
            assertEquals(isHair ? 1f : 0f, red.condition()[k], 0f);
            assertEquals(isHair ? 0x80 / 255f : 0f, red.condition()[plane + k], 0f);
            assertEquals(0f, red.condition()[2 * plane + k], 0f);
        }
        assertTrue(hair > 0, "the sample has hair");
    }
}
