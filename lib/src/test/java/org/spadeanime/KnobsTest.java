package org.spadeanime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnobsTest {

    private static final Path NOTEBOOKS = Path.of("/repo/notebooks");

    @Test
    void defaultsAreTheTinyPresetAndItsBudget() {
        Knobs k = Knobs.of(Map.of(), NOTEBOOKS);
        assertEquals("tiny", k.preset());
        assertEquals(Path.of("/repo"), k.repo());
        assertEquals(64, k.resolution());
        assertEquals(2, k.zoom());
        assertEquals(3_000, k.steps(3_000, 20_000, 100_000));
        assertEquals("tiny", k.weights());
    }

    @Test
    void environmentOverridesPresetStepsAndWeights() {
        Knobs k = Knobs.of(Map.of("SPADE_PRESET", " Mid ", "MAX_STEPS", "50", "SPADE_WEIGHTS", "cpu-128"), NOTEBOOKS);
        assertEquals("mid", k.preset());
        assertEquals(128, k.model().resolution());
        assertEquals(1, k.zoom());
        assertEquals(50, k.steps(3_000, 20_000, 100_000));
        assertEquals("cpu-128", k.weights());
        assertEquals(10_000, Knobs.of(Map.of("SPADE_PRESET", "paper"), NOTEBOOKS).steps(200, 2_000, 10_000));
    }

    @Test
    void badValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.of(Map.of("SPADE_PRESET", "huge"), NOTEBOOKS));
        assertTrue(e.getMessage().contains("expected tiny, cpu128, cpu128-l1, mid or paper"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Knobs.of(Map.of("MAX_STEPS", "lots"), NOTEBOOKS));
        assertTrue(e.getMessage().startsWith("MAX_STEPS 'lots'"), e.getMessage());
    }
}
