package org.spadeanime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spadeanime.kernel.CellText.Segment;

class CellTextTest {

    @Test
    void magicLinesSplitTheCodeIntoRunsInCellOrder() {
        String cell = "%jars a/*.jar\nint x = 1;\nint y = 2;\n  %classpath b\nx + y";
        CellText text = new CellText(cell);
        List<Segment> s = text.segments();
        assertEquals(4, s.size());
        assertEquals("%jars a/*.jar", cell.substring(s.get(0).start(), s.get(0).end()));
        assertTrue(s.get(0).magic());
        assertEquals("int x = 1;\nint y = 2;\n", cell.substring(s.get(1).start(), s.get(1).end()));
        assertFalse(s.get(1).magic());
        assertEquals("  %classpath b", cell.substring(s.get(2).start(), s.get(2).end()));
        assertEquals("x + y", cell.substring(s.get(3).start(), s.get(3).end()));
        assertEquals("             \nint x = 1;\nint y = 2;\n              \nx + y", text.withoutMagics());
    }

    @Test
    void offsetsBecomeLinesAndColumns() {
        CellText text = new CellText("ab\r\ncd\n\nefg");
        assertEquals(1, text.line(0));
        assertEquals(1, text.line(3));
        assertEquals(2, text.line(4));
        assertEquals(3, text.line(7));
        assertEquals(4, text.line(8));
        assertEquals(3, text.column(10));
        assertEquals("ab", text.lineText(1));
        assertEquals("", text.lineText(3));
        assertEquals("efg", text.lineText(4));
    }

    @Test
    void trailingSemicolonIgnoresCommentsAndLiterals() {
        assertTrue(CellText.endsWithSemicolon("x;"));
        assertTrue(CellText.endsWithSemicolon("x; // shown? no\n"));
        assertTrue(CellText.endsWithSemicolon("x; /* block ; */  "));
        assertFalse(CellText.endsWithSemicolon("x // the value;"));
        assertFalse(CellText.endsWithSemicolon("\"a;\""));
        assertFalse(CellText.endsWithSemicolon("';'"));
        assertFalse(CellText.endsWithSemicolon("\"http://x;\" // url"));
        assertFalse(CellText.endsWithSemicolon("\"\"\"\n  text;\n  \"\"\""));
        assertFalse(CellText.endsWithSemicolon("\"\\\";\""));
    }
}
