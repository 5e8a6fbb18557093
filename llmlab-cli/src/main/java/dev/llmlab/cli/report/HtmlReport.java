package dev.llmlab.cli.report;

import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page for a set of runs: a table of the runs and their metrics, every chart as an
 * embedded PNG (no scripts, no network, opens anywhere), and the generated texts. The PNGs are also written to
 * a directory beside the page for terminals and docs. Every file is written atomically.
 */
public final class HtmlReport {

    /** What was written. */
    public record Written(Path page, List<Path> pngs) {
    }

    private HtmlReport() {
    }

    public static Written write(Path page, List<RunRecord> records, List<ReportChart> charts, String llmlabVersion,
                                String generatedAt) {
        String base = page.getFileName().toString().replaceFirst("\\.html?$", "");
        Path pngDir = page.toAbsolutePath().getParent().resolve(base + "-charts");
        List<Path> pngs = new ArrayList<>();
        StringBuilder figures = new StringBuilder();
        for (int i = 0; i < charts.size(); i++) {
            ReportChart chart = charts.get(i);
            byte[] png = chart.png();
            Path file = pngDir.resolve(String.format(Locale.ROOT, "%02d-%s.png", i + 1, chart.slug()));
            AtomicFiles.write(file, png);
            pngs.add(file);
            figures.append("<figure><h3>").append(escape(chart.title())).append("</h3>\n<img alt=\"")
                    .append(escape(chart.title())).append("\" width=\"").append(ReportCharts.WIDTH)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\">\n<figcaption>").append(escape(chart.caption())).append("</figcaption></figure>\n");
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>llmlab report</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}")
                .append("table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;")
                .append("padding:.3rem .6rem;text-align:left;vertical-align:top}figure{margin:2rem 0}")
                .append("figcaption{color:#555;font-size:.9rem}img{max-width:100%;border:1px solid #eee}")
                .append("pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style></head><body>\n")
                .append("<h1>llmlab report</h1>\n<p>").append(records.size()).append(" run(s), generated ")
                .append(escape(generatedAt)).append(" by llmlab ").append(escape(llmlabVersion)).append(".</p>\n")
                .append("<h2>Runs</h2>\n<table><tr><th>Run</th><th>Experiment</th><th>Model</th><th>Machine</th>")
                .append("<th>Metrics</th></tr>\n");
        for (RunRecord r : records) {
            html.append("<tr><td>").append(escape(r.id())).append("</td><td>").append(r.experimentNumber())
                    .append(' ').append(escape(r.experimentName())).append("</td><td>")
                    .append(escape(r.modelSummary())).append("</td><td>").append(escape(r.hardware().oneLine()))
                    .append("</td><td>").append(metrics(r.outputs().metrics())).append("</td></tr>\n");
        }
        html.append("</table>\n<h2>Charts</h2>\n");
        html.append(charts.isEmpty() ? "<p>None of these runs has data to chart (throughput, perplexity, model "
                + "comparison, quantization runs or generations).</p>\n" : figures);
        html.append(outputs(records)).append("</body></html>\n");
        AtomicFiles.write(page, html.toString().getBytes(StandardCharsets.UTF_8));
        return new Written(page, pngs);
    }

    private static String outputs(List<RunRecord> records) {
        StringBuilder s = new StringBuilder();
        for (RunRecord r : records) {
            for (RunRecord.GenerationRecord g : r.outputs().generations()) {
                String label = g.label() == null || g.label().isEmpty() ? "" : " · " + g.label();
                s.append("<details><summary>").append(escape(r.id() + label)).append("</summary><pre><b>")
                        .append(escape(g.prompt())).append("</b>").append(escape(g.text())).append("</pre></details>\n");
            }
        }
        return s.isEmpty() ? "" : "<h2>Outputs</h2>\n" + s;
    }

    private static String metrics(Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(escape(k)).append(" = ")
                .append(String.format(Locale.ROOT, "%.4g", v)).append("<br>"));
        return s.toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
