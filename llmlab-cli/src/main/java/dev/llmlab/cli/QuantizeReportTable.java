package dev.llmlab.cli;

import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.quant.QualityReport;

import java.util.List;
import java.util.Locale;

/** The quality report as a table: one row per quantization. */
final class QuantizeReportTable {

    private QuantizeReportTable() {
    }

    /** Three significant digits: KL spans 1e-7 (F16) to 1 (2-bit). */
    static String klText(double kl) {
        return kl == 0 ? "0" : kl >= 1e-3 ? String.format(Locale.ROOT, "%.4f", kl)
                : String.format(Locale.ROOT, "%.2e", kl);
    }

    static List<String> lines(List<QualityReport.Row> rows, Ansi ansi) {
        Table table = new Table(List.of("type", "size", "bits/weight", "mean KL", "top-1 agreement"));
        for (QualityReport.Row r : rows) {
            table.add(List.of(r.label(), HumanUnits.bytes(r.fileSizeBytes()),
                    String.format(Locale.ROOT, "%.2f", r.bitsPerWeight()),
                    klText(r.meanKlDivergence()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * r.top1Agreement())));
        }
        List<String> lines = new java.util.ArrayList<>(table.render(ansi));
        if (!rows.isEmpty()) {
            lines.add("(" + rows.getFirst().positions() + " positions; KL(original || quantized) in nats, lower is "
                    + "closer)");
        }
        return lines;
    }
}
