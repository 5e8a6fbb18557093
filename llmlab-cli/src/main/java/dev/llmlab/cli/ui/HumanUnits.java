package dev.llmlab.cli.ui;

import java.time.Duration;
import java.util.Locale;

/** Short human-readable numbers for the terminal: sizes, counts, durations, rates. */
public final class HumanUnits {
    private HumanUnits() {
    }

    /** {@code 1.2 MB}, {@code 637.8 MB}, {@code 4.4 GB} (decimal units, as file managers show). */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 260K}, {@code 1.1B}, {@code 494M}: parameter counts as model cards write them. */
    public static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "B", "T"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        String digits = value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value).replaceAll("\\.0$", "");
        return digits + units[unit];
    }

    /** {@code 850 µs}, {@code 12 ms}, {@code 1.23 s}, {@code 2 min 5 s}. */
    public static String duration(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000) {
            return (nanos / 1000) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        }
        if (nanos < 60_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        long seconds = d.toSeconds();
        return (seconds / 60) + " min " + (seconds % 60) + " s";
    }

    /** Milliseconds with one decimal, for summaries ({@code 12.3 ms}). */
    public static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** {@code 456.7 t/s}, or {@code –} when there is no rate. */
    public static String rate(double tokensPerSecond) {
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f t/s", tokensPerSecond);
    }

    /** {@code 5.2 MB/s}, or {@code –} when there is no rate. */
    public static String byteRate(double bytesPerSecond) {
        if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
            return "–";
        }
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }

    /** {@code max tokens} from {@code MAX_TOKENS}. */
    public static String enumName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
