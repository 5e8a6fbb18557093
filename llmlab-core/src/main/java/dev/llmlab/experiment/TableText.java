package dev.llmlab.experiment;

import java.util.Locale;

/** Values as experiments put them in result tables: text squeezed into one cell, numbers to a few digits. */
public final class TableText {
    private TableText() {
    }

    /**
     * Whitespace runs become one space, other control characters (which would move a terminal's cursor) become
     * U+FFFD; text longer than {@code maxChars} ends with an ellipsis.
     */
    public static String shorten(String text, int maxChars) {
        String flat = text.replaceAll("\\s+", " ").replaceAll("\\p{Cc}", "\uFFFD").strip();
        return flat.length() <= maxChars ? flat : flat.substring(0, Math.max(0, maxChars - 1)) + "…";
    }

    /** {@code digits} decimals, locale-independent. */
    public static String fixed(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
