package dev.llmlab.system;

import java.util.Locale;

/**
 * Whether an estimate fits this machine.
 *
 * @param level  fits, tight, or does not fit
 * @param reason the numbers behind it, for humans
 */
public record Verdict(Level level, String reason) {
    /** Fits when the estimate leaves at least this share of the usable memory free. */
    public static final double FITS_SHARE = 0.80;
    /** The engine refuses a KV cache above this share of the max heap; the whole heap part is held to it too. */
    public static final double HEAP_SHARE = 0.90;

    public enum Level {
        /** At most 80% of the usable memory, and the heap part within 90% of the max heap. */
        FITS,
        /** Between 80% and 100% of the usable memory: it runs if nothing else grows. */
        TIGHT,
        /** Over the usable memory, or the heap part over 90% of the max heap. */
        DOES_NOT_FIT;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Judges {@code totalBytes} (of which {@code heapBytes} on the Java heap) against the machine. */
    public static Verdict judge(long totalBytes, long heapBytes, MemoryInfo memory, long maxHeapBytes) {
        long usable = memory.usableBytes();
        double share = usable == 0 ? Double.POSITIVE_INFINITY : (double) totalBytes / usable;
        String numbers = String.format(Locale.ROOT, "%.2f GB of %.2f GB usable (%.0f%%)", totalBytes / 1e9,
                usable / 1e9, share * 100);
        if (heapBytes > maxHeapBytes * HEAP_SHARE) {
            return new Verdict(Level.DOES_NOT_FIT, String.format(Locale.ROOT,
                    "the heap part %.2f GB exceeds 90%% of the JVM's max heap %.2f GB: use a shorter --context "
                            + "or LLMLAB_JAVA_OPTS=-Xmx...", heapBytes / 1e9, maxHeapBytes / 1e9));
        }
        if (share <= FITS_SHARE) {
            return new Verdict(Level.FITS, numbers);
        }
        if (share <= 1.0) {
            return new Verdict(Level.TIGHT, numbers + ": over 80%, other programs may push it out");
        }
        return new Verdict(Level.DOES_NOT_FIT, numbers);
    }
}
