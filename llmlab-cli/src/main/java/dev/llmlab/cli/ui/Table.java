package dev.llmlab.cli.ui;

import java.util.ArrayList;
import java.util.List;

/** A simple aligned text table with a bold header and a rule under it. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    public Table add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " cells, the header " + header.size());
        }
        rows.add(List.copyOf(row));
        return this;
    }

    public List<String> render(Ansi ansi) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = TextWrap.length(header.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], TextWrap.length(row.get(c)));
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(ansi.style(line(header, widths), Style.BOLD));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("─".repeat(widths[c]));
        }
        lines.add(ansi.style(rule.toString(), Style.BRIGHT_BLACK));
        rows.forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            s.append(c == 0 ? "" : "  ").append(cell);
            if (c < cells.size() - 1) {
                s.append(" ".repeat(widths[c] - TextWrap.length(cell)));
            }
        }
        return s.toString();
    }
}
