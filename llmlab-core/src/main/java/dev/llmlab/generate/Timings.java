package dev.llmlab.generate;

import java.time.Duration;

/**
 * The timing record every backend reports, so runs compare across engines.
 *
 * @param promptTokens    tokens in the prompt (as processed)
 * @param promptTime      time to process the prompt
 * @param generatedTokens tokens generated
 * @param generationTime  time from the first generated token to the last (the decode steps after the first)
 * @param timeToFirstToken time from the request to the first generated token
 * @param total           wall time of the whole request
 */
public record Timings(int promptTokens, Duration promptTime, int generatedTokens, Duration generationTime,
                      Duration timeToFirstToken, Duration total) {

    public double promptTokensPerSecond() {
        return perSecond(promptTokens, promptTime);
    }

    /**
     * Decode speed: tokens after the first over the time after the first, since the first token's cost is the
     * prompt's (it is in {@link #timeToFirstToken}). The same definition for every backend.
     */
    public double tokensPerSecond() {
        return perSecond(generatedTokens - 1, generationTime);
    }

    private static double perSecond(int tokens, Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 || tokens <= 0 ? 0.0 : tokens * 1e9 / nanos;
    }
}
