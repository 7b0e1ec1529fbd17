package org.spadeanime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;

/** A run's data folder: opened at the model's resolution, refused when missing or of other classes. */
class RunDataTest {

    @Test
    void opensAtTheResolutionAndChecksTheClasses(@TempDir Path tmp) throws Exception {
        TestData.syntheticTriplets(tmp, 4, 64, 1);
        int classes = AnimeDataset.open(tmp, DatasetOptions.defaults()).palette().channels();
        AnimeDataset d = new RunData(32, classes, false).open(tmp, "data");
        assertEquals(32, d.resolution());
        assertEquals(32, d.all().sample(0, false).size());
        BadInputException e = assertThrows(BadInputException.class,
                () -> new RunData(32, classes + 1, false).open(tmp, "data"));
        assertTrue(e.getMessage().contains("model.numClasses is " + (classes + 1)), e.getMessage());
    }

    @Test
    void aMissingFolderNamesTheOption(@TempDir Path tmp) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new RunData(32, 9, false).openOr(null, tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("train option data (from the generator's options"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new RunData(32, 9, false).open(tmp.resolve("x"), "roughData"));
        assertTrue(e.getMessage().contains("train option roughData: no such data folder"), e.getMessage());
    }
}
