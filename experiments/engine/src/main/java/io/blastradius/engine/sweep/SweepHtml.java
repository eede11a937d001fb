package io.blastradius.engine.sweep;

import io.blastradius.engine.HtmlReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep's {@code sweep.html}: one self-contained page (no script, nothing loaded) with the conclusion in
 * words and the grid coloured by gate, the chosen figure in each cell, each cell linked to its run in the
 * cells' {@code report.html}. Two keys with several values each make a table of one by the other; any
 * other number, one row per cell.
 */
public final class SweepHtml {

    private SweepHtml() {
    }

    public static String render(SweepResults.Sweep sweep, String metric) {
        List<String> varied = sweep.keys().stream()
                .filter(key -> sweep.cells().stream().map(c -> c.values().get(key)).distinct().count() > 1).toList();
        List<String> fixed = sweep.keys().stream().filter(key -> !varied.contains(key)).toList();
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                """);
        html.append("<title>").append(HtmlReport.esc("Blast Radius sweep: " + sweep.experiment())).append("</title>\n");
        html.append("""
                <style>
                  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0f172a; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
                  h1 { font-size: 22px; margin: 0 0 4px; }
                  .muted { color: #64748b; }
                  ul.conclusion { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 14px 10px 32px; }
                  table { border-collapse: collapse; margin: 14px 0; font-size: 14px; }
                  th, td { border: 1px solid #e2e8f0; padding: 8px 12px; text-align: left; vertical-align: top; }
                  th { background: #f8fafc; }
                  td.cell-passed { background: #dcfce7; color: #15803d; }
                  td.cell-failed { background: #fee2e2; color: #b91c1c; }
                  td.cell-error { background: #e2e8f0; color: #475569; }
                  td .figure { font-size: 18px; font-weight: 700; display: block; }
                  td a { color: inherit; font-size: 13px; }
                </style>
                </head>
                <body>
                """);
        html.append("<h1>Sweep of ").append(HtmlReport.esc(sweep.experiment())).append("</h1>\n");
        html.append("<p class=\"muted\">").append(sweep.cells().size()).append(" cell(s); in each: the verdict, its gate as the colour, and ")
                .append(HtmlReport.esc(metric)).append(".</p>\n<ul class=\"conclusion\">\n");
        SweepConclusion.of(sweep, metric).forEach(line -> html.append("  <li>").append(HtmlReport.esc(line)).append("</li>\n"));
        html.append("</ul>\n");
        if (varied.size() == 2) {
            String rows = varied.get(0);
            String columns = varied.get(1);
            List<String> rowValues = distinct(sweep, rows);
            List<String> columnValues = distinct(sweep, columns);
            html.append("<table>\n<tr><th>").append(HtmlReport.esc(rows)).append(" \\ ").append(HtmlReport.esc(columns)).append("</th>");
            columnValues.forEach(v -> html.append("<th>").append(HtmlReport.esc(v)).append("</th>"));
            html.append("</tr>\n");
            for (String row : rowValues) {
                html.append("<tr><th>").append(HtmlReport.esc(row)).append("</th>");
                for (String column : columnValues) {
                    Optional<SweepResults.CellResult> cell = sweep.cells().stream()
                            .filter(c -> row.equals(c.values().get(rows)) && column.equals(c.values().get(columns))).findFirst();
                    html.append(cell.map(c -> td(c, metric)).orElse("<td></td>"));
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        } else {
            html.append("<table>\n<tr><th>cell</th>");
            varied.forEach(key -> html.append("<th>").append(HtmlReport.esc(key)).append("</th>"));
            html.append("<th>result</th></tr>\n");
            for (SweepResults.CellResult cell : sweep.cells()) {
                html.append("<tr><th>").append(cell.cell()).append("</th>");
                varied.forEach(key -> html.append("<td>").append(HtmlReport.esc(cell.values().get(key))).append("</td>"));
                html.append(td(cell, metric)).append("</tr>\n");
            }
            html.append("</table>\n");
        }
        if (!fixed.isEmpty()) {
            html.append("<p class=\"muted\">The same in every cell: ");
            List<String> same = new ArrayList<>();
            fixed.forEach(key -> same.add(key + "=" + sweep.cells().get(0).values().get(key)));
            html.append(HtmlReport.esc(String.join(", ", same))).append(".</p>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String td(SweepResults.CellResult cell, String metric) {
        String css = cell.verdict().equals("ERROR") ? "cell-error" : cell.gatePassed() ? "cell-passed" : "cell-failed";
        String figure = SweepConclusion.figure(cell, metric).map(v -> SweepConclusion.words(metric, v)).orElse("–");
        String title = cell.failedChecks().isEmpty() ? String.join("; ", cell.reasons()) : String.join("; ", cell.failedChecks());
        return "<td class=\"" + css + "\" title=\"" + HtmlReport.esc(title) + "\"><span class=\"figure\">" + HtmlReport.esc(figure) + "</span>" + HtmlReport.esc(cell.verdict())
                + (cell.gatePassed() ? " (gate passed)" : " (gate failed)") + "<br><a href=\"report.html#" + HtmlReport.esc(cell.run()) + "\">cell "
                + cell.cell() + ": its report</a></td>";
    }

    private static List<String> distinct(SweepResults.Sweep sweep, String key) {
        return sweep.cells().stream().map(c -> c.values().get(key)).distinct().toList();
    }
}
