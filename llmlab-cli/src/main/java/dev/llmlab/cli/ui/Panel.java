package dev.llmlab.cli.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * A box with rounded corners and a centred title, in the style of Rich's Panel:
 * <pre>
 * ╭──── Prompt ────╮
 * │ Once upon a    │
 * ╰────────────────╯
 * </pre>
 * Pieces are exposed separately so a streaming view can print the top once and redraw only the tail.
 */
public record Panel(String title, Style color, int width, Ansi ansi) {
    private static final int PADDING = 1;

    /** Columns available for text inside the borders and padding. */
    public int innerWidth() {
        return width - 2 - 2 * PADDING;
    }

    public String top() {
        int dashes = width - 2;
        if (title == null || title.isEmpty()) {
            return ansi.style("╭" + "─".repeat(dashes) + "╮", color);
        }
        String label = " " + title + " ";
        int left = Math.max(0, (dashes - TextWrap.length(label)) / 2);
        int right = Math.max(0, dashes - left - TextWrap.length(label));
        return ansi.style("╭" + "─".repeat(left), color) + ansi.style(label, color, Style.BOLD)
                + ansi.style("─".repeat(right) + "╮", color);
    }

    /** One body line (at most {@link #innerWidth()} visible columns, may hold styles), padded to the border. */
    public String row(String line, Style... textStyles) {
        int pad = Math.max(0, innerWidth() - TextWrap.length(Ansi.strip(line)));
        String side = ansi.style("│", color);
        return side + " " + ansi.style(line, textStyles) + " ".repeat(pad + PADDING) + side;
    }

    public String bottom() {
        return ansi.style("╰" + "─".repeat(width - 2) + "╯", color);
    }

    /** The whole panel with {@code body} wrapped to fit. */
    public List<String> render(String body, Style... textStyles) {
        List<String> lines = new ArrayList<>();
        lines.add(top());
        for (String line : TextWrap.wrap(body, innerWidth())) {
            lines.add(row(line, textStyles));
        }
        lines.add(bottom());
        return lines;
    }
}
