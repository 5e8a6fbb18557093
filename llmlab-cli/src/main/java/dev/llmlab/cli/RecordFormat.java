package dev.llmlab.cli;

import java.util.Locale;

/** How numbers from run records are shown in tables: 4 significant digits, no exponent for everyday sizes. */
final class RecordFormat {
    private RecordFormat() {
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        if (value == Math.rint(value) && abs < 1e9) {
            return String.valueOf((long) value);
        }
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
