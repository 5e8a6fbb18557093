package dev.llmlab.cli.ui;

/**
 * What the output stream can do, decided once at startup.
 *
 * @param interactive the stream is a terminal (a person is watching), not a pipe or a file
 * @param ansi        escape codes (colours, cursor movement) may be written
 * @param width       columns available
 */
public record TerminalCapabilities(boolean interactive, boolean ansi, int width) {
    public static final int DEFAULT_WIDTH = 80;
    /** Narrower than this and panels cannot hold a word; render as if this wide. */
    public static final int MIN_WIDTH = 20;

    public TerminalCapabilities {
        width = width <= 0 ? DEFAULT_WIDTH : Math.max(MIN_WIDTH, width);
    }

    /** A pipe or a file: no escape codes at all. */
    public static TerminalCapabilities plain(int width) {
        return new TerminalCapabilities(false, false, width);
    }

    /** A colour terminal. */
    public static TerminalCapabilities ansi(int width) {
        return new TerminalCapabilities(true, true, width);
    }

    public TerminalCapabilities withoutAnsi() {
        return new TerminalCapabilities(interactive, false, width);
    }
}
