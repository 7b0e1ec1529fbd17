package org.spadeanime.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spadeanime.io.BadInputException;

class LabelPaletteTest {

    @TempDir
    Path dir;

    @Test
    void animePaletteIsTheOriginals() {
        LabelPalette p = LabelPalette.anime();
        assertEquals(4, p.channels());
        assertEquals(2, p.hairChannel());
        assertEquals(List.of("eye", "face", "hair", "other"), p.classes().stream().map(LabelClass::name).toList());
        assertEquals(List.of(0xFF0000, 0x00FF00, 0x0000FF, 0xFF00FF), p.classes().stream().map(LabelClass::rgb).toList());
        assertEquals(0xFFFF00, p.background().rgb());
        assertEquals(LabelPalette.Match.THRESHOLD, p.match());
    }

    @Test
    void jsonFileRoundTrip() throws IOException {
        LabelPalette custom = LabelPalette.of(List.of(new LabelClass("skin", 0xF0C8A0), new LabelClass("hair", 0x202060),
                new LabelClass("cloth", 0x80FF80)), new LabelClass("background", 0xFFFFFF));
        assertEquals(LabelPalette.Match.NEAREST, custom.match());
        Path f = dir.resolve("p.json");
        custom.save(f);
        LabelPalette back = LabelPalette.load(f);
        assertEquals(custom, back);
        assertEquals(1, back.hairChannel());
        assertEquals(LabelPalette.anime(), LabelPalette.parse(LabelPalette.anime().toJson(), "anime"));
    }

    @Test
    void textFile() throws IOException {
        Path f = dir.resolve("palette.txt");
        Files.writeString(f, """
                # my classes
                eye        #FF0000
                face       0 255 0
                hair       #0000ff
                background #FFFF00
                """);
        LabelPalette p = LabelPalette.load(f);
        assertEquals(3, p.channels());
        assertEquals(2, p.hairChannel());
        assertEquals(0x00FF00, p.classes().get(1).rgb());
        assertEquals(LabelPalette.Match.THRESHOLD, p.match());
    }

    @Test
    void duplicateColoursNameTheFile() throws IOException {
        Path f = dir.resolve("dup.json");
        Files.writeString(f, """
                {"classes": [{"name": "eye", "color": "#FF0000"}, {"name": "hair", "color": "#0000FF"},
                             {"name": "ribbon", "color": "#0000FF"}, {"name": "background", "color": "#FFFF00"}]}
                """);
        BadInputException e = assertThrows(BadInputException.class, () -> LabelPalette.load(f));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'hair' and 'ribbon' have the same colour #0000FF"), e.getMessage());
    }

    @Test
    void badPaletteFilesSayWhatWasExpected() throws IOException {
        Path noBg = dir.resolve("nobg.txt");
        Files.writeString(noBg, "eye #FF0000\nhair #0000FF\n");
        assertTrue(assertThrows(BadInputException.class, () -> LabelPalette.load(noBg)).getMessage()
                .contains("expected a class named 'background'"));
        Path badLine = dir.resolve("bad.txt");
        Files.writeString(badLine, "eye #FF0000\nhair blue\nbackground #FFFF00\n");
        String m = assertThrows(BadInputException.class, () -> LabelPalette.load(badLine)).getMessage();
        assertTrue(m.contains("line 2") && m.contains("#RRGGBB"), m);
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"classes\": [");
        assertTrue(assertThrows(BadInputException.class, () -> LabelPalette.load(notJson)).getMessage().contains(notJson.toString()));
        Path near = dir.resolve("near.json");
        Files.writeString(near, """
                {"classes": [{"name": "a", "color": "#808080"}, {"name": "b", "color": "#888888"},
                             {"name": "background", "color": "#000000"}], "tolerance": 16}
                """);
        assertTrue(assertThrows(BadInputException.class, () -> LabelPalette.load(near)).getMessage()
                .contains("within twice the tolerance"));
        assertThrows(BadInputException.class, () -> LabelPalette.load(dir.resolve("missing.json")));
    }

    @Test
    void thresholdRuleNeedsPureColours() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelPalette.of(
                List.of(new LabelClass("a", 0x804020)), new LabelClass("background", 0), LabelPalette.Match.THRESHOLD, 0));
        assertTrue(e.getMessage().contains("pure"), e.getMessage());
        assertFalse(LabelPalette.of(List.of(new LabelClass("a", 0xFF0000)), new LabelClass("background", 0)).hasHair());
        assertThrows(IllegalStateException.class,
                () -> LabelPalette.of(List.of(new LabelClass("a", 0xFF0000)), new LabelClass("background", 0)).hairChannel());
    }
}
