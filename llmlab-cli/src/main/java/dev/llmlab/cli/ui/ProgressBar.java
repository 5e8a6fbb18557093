package dev.llmlab.cli.ui;

/** Rich's progress bar: a heavy line for the done part, a half cell at the edge, a dim line for the rest. */
public final class ProgressBar {

    private ProgressBar() {
    }

    /** The bar for {@code fraction} (0..1) in {@code width} cells; plain text pads the rest with spaces. */
    public static String render(double fraction, int width, Ansi ansi) {
        double clamped = Math.max(0, Math.min(1, fraction));
        int halves = (int) Math.floor(clamped * width * 2);
        int full = halves / 2;
        boolean half = halves % 2 == 1;
        String done = "━".repeat(full) + (half ? "╸" : "");
        String rest = "━".repeat(width - full - (half ? 1 : 0));
        if (!ansi.enabled()) {
            return done + " ".repeat(width - TextWrap.length(done));
        }
        return ansi.style(done, Style.MAGENTA) + ansi.style(rest, Style.BRIGHT_BLACK);
    }
}
