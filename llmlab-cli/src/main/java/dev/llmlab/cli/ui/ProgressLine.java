package dev.llmlab.cli.ui;

import java.time.Duration;

/**
 * The live line of a step that is not a generation: {@code ⠹ chunks 3/10 ━━━━━╸━━━━ 30% · [3]12.3456 · 1.20 s}.
 *
 * @param task    what is counted (e.g. {@code chunks})
 * @param done    units done
 * @param total   units in all
 * @param detail  the latest figure, may be empty
 * @param elapsed time since the step started
 */
public record ProgressLine(String task, int done, int total, String detail, Duration elapsed) {
    private static final int BAR_WIDTH = 20;

    public String render(Ansi ansi) {
        boolean finished = done >= total;
        double fraction = total <= 0 ? 1 : Math.min(1.0, done / (double) total);
        String sep = ansi.style(" · ", Style.BRIGHT_BLACK);
        return StatusLine.mark(finished, elapsed, ansi) + " " + task + " " + done + "/" + total + "  "
                + ProgressBar.render(fraction, BAR_WIDTH, ansi) + " " + Math.round(fraction * 100) + "%"
                + (detail == null || detail.isEmpty() ? "" : sep + detail) + sep + HumanUnits.duration(elapsed);
    }
}
