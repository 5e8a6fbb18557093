package dev.llmlab.cli.ui;

import java.time.Duration;

/**
 * The live line under a streaming panel: {@code ⠹ 42/200 tokens · 85.3 t/s · 1.20 s ━━━━━╸━━━━━━━ 21%}.
 *
 * @param tokens          tokens generated so far
 * @param maxTokens       the request's limit (0 hides the bar)
 * @param tokensPerSecond the current decode rate (≤ 0 when not known yet)
 * @param elapsed         time since the request started
 * @param done            generation finished (a check mark instead of the spinner)
 */
public record StatusLine(int tokens, int maxTokens, double tokensPerSecond, Duration elapsed, boolean done) {
    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final int BAR_WIDTH = 20;
    private static final Duration SPINNER_FRAME = Duration.ofMillis(80);

    /** The line, without the bar when it would not fit in {@code width} columns. */
    public String render(Ansi ansi, int width) {
        String full = render(ansi);
        return TextWrap.length(Ansi.strip(full)) <= width || maxTokens <= 0 ? full : render(ansi, false);
    }

    public String render(Ansi ansi) {
        return render(ansi, true);
    }

    private String render(Ansi ansi, boolean withBar) {
        String mark = mark(done, elapsed, ansi);
        String sep = ansi.style(" · ", Style.BRIGHT_BLACK);
        String text = mark + " " + tokens + (maxTokens > 0 ? "/" + maxTokens : "") + " tokens"
                + sep + HumanUnits.rate(tokensPerSecond)
                + sep + HumanUnits.duration(elapsed);
        if (maxTokens <= 0 || !withBar) {
            return text;
        }
        double fraction = done ? 1.0 : Math.min(1.0, tokens / (double) maxTokens);
        return text + "  " + bar(fraction, ansi) + " " + Math.round(fraction * 100) + "%";
    }

    /** A check mark when done, else the spinner frame for {@code elapsed}. */
    static String mark(boolean done, Duration elapsed, Ansi ansi) {
        int frame = (int) (elapsed.toMillis() / SPINNER_FRAME.toMillis() % SPINNER.length());
        return done ? ansi.style("✔", Style.GREEN) : ansi.style(String.valueOf(SPINNER.charAt(frame)), Style.CYAN);
    }

    private static String bar(double fraction, Ansi ansi) {
        return ProgressBar.render(fraction, BAR_WIDTH, ansi);
    }
}
