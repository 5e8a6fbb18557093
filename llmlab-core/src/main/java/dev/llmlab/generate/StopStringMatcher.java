package dev.llmlab.generate;

import java.util.List;

/**
 * Decides how much generated text is safe to show: text that might be the start of a stop string is held
 * back until it either completes the stop string (generation ends before it) or stops matching.
 */
final class StopStringMatcher {
    private final List<String> stops;
    private final int longest;

    StopStringMatcher(List<String> stops) {
        this.stops = stops;
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Index of the earliest stop string in {@code text} at or after {@code from}, or -1. */
    int find(CharSequence text, int from) {
        int best = -1;
        String s = text.toString();
        int start = Math.max(0, from - longest);
        for (String stop : stops) {
            int i = s.indexOf(stop, start);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Length of the prefix of {@code text} that cannot be part of a stop string that is still incomplete. */
    int safeLength(CharSequence text) {
        int n = text.length();
        for (int keep = Math.min(longest - 1, n); keep > 0; keep--) {
            String suffix = text.subSequence(n - keep, n).toString();
            for (String stop : stops) {
                if (stop.startsWith(suffix)) {
                    return n - keep;
                }
            }
        }
        return n;
    }
}
