package dev.llmlab.cli.ui;

import java.util.regex.Pattern;

/**
 * Escape sequences, applied only when the terminal takes them: every method returns plain text when
 * {@code enabled} is false, so callers write one code path for both forms.
 */
public record Ansi(boolean enabled) {
    private static final String ESC = "\u001b[";
    private static final String RESET = ESC + "0m";
    private static final Pattern SEQUENCE = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

    /** {@code text} in the given styles, reset afterwards. */
    public String style(String text, Style... styles) {
        if (!enabled || styles.length == 0 || text.isEmpty()) {
            return text;
        }
        StringBuilder s = new StringBuilder(ESC);
        for (int i = 0; i < styles.length; i++) {
            s.append(i == 0 ? "" : ";").append(styles[i].sgr());
        }
        return s.append('m').append(text).append(RESET).toString();
    }

    /** Moves the cursor up {@code lines} lines, to column 1. */
    public String cursorUpToLineStart(int lines) {
        if (!enabled) {
            return "";
        }
        return lines > 0 ? "\r" + ESC + lines + "A" : "\r";
    }

    /** Clears from the cursor to the end of the screen. */
    public String clearToEnd() {
        return enabled ? ESC + "J" : "";
    }

    /** {@code text} without any escape sequence (for measuring and for tests). */
    public static String strip(String text) {
        return SEQUENCE.matcher(text).replaceAll("");
    }

    /** True if {@code text} holds an escape character. */
    public static boolean hasEscapes(String text) {
        return text.indexOf('\u001b') >= 0;
    }
}
