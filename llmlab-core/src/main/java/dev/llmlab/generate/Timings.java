package dev.llmlab.generate;

import java.time.Duration;

/**
 * The timing record every backend reports, so runs compare across engines.
 *
 * @param promptTokens    tokens in the prompt (as processed)
 * @param promptTime      time to process the prompt
 * @param generatedTokens tokens generated
 * @param generationTime  time from the first generated token's sampling to the last token
 * @param timeToFirstToken time from the request to the first generated token
 * @param total           wall time of the whole request
 */
public record Timings(int promptTokens, Duration promptTime, int generatedTokens, Duration generationTime,
                      Duration timeToFirstToken, Duration total) {

    public double promptTokensPerSecond() {
        return perSecond(promptTokens, promptTime);
    }

    /** Decode speed: tokens after the first, over the time after the first (the first token's cost is the prompt's). */
    public double tokensPerSecond() {
        return perSecond(generatedTokens, generationTime);
    }

    private static double perSecond(int tokens, Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 ? 0.0 : tokens * 1e9 / nanos;
    }
}
