package org.spadeanime.kernel;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A Tablesaw table (or any Relation) as an HTML table; a long table shows its first and last
 * {@link #HEAD_ROWS} rows around a row of ellipses. The plain-text form stays Tablesaw's own print.
 */
final class TablesawHtml extends LibraryRenderer {

    static final int HEAD_ROWS = 10;

    TablesawHtml() {
        super("tech.tablesaw.table.Relation", MIMEType.TEXT_HTML);
    }

    @Override
    void render(Class<?> relation, Object table, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(relation, table));
    }

    private static String html(Class<?> relation, Object table) {
        int rows = (Integer) Reflect.call(relation, table, "rowCount");
        @SuppressWarnings("unchecked")
        List<String> columns = (List<String>) Reflect.call(relation, table, "columnNames");
        StringBuilder b = new StringBuilder("<table class=\"tablesaw\">\n<caption>")
                .append(escape(String.valueOf(Reflect.call(relation, table, "name"))))
                .append(" (").append(rows).append(" rows, ").append(columns.size()).append(" columns)</caption>\n<thead><tr>");
        for (String c : columns) {
            b.append("<th>").append(escape(c)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        boolean cut = rows > 2 * HEAD_ROWS;
        for (int r = 0; r < rows; r++) {
            if (cut && r == HEAD_ROWS) {
                b.append("<tr>").append("<td>&hellip;</td>".repeat(columns.size())).append("</tr>\n");
                r = rows - HEAD_ROWS;
            }
            b.append("<tr>");
            for (int c = 0; c < columns.size(); c++) {
                b.append("<td>").append(escape(String.valueOf(Reflect.call(relation, table, "getString", r, c))))
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
