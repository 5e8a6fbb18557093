package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;

import java.time.Duration;

/**
 * How often and how patiently to retry a request that failed for a reason that may pass: HTTP 429 or 5xx, a
 * connection refused or cut. The delay doubles each time from {@code initialDelay}, capped at {@code maxDelay};
 * a server's {@code Retry-After} is honoured up to the cap.
 *
 * @param maxAttempts  attempts in all, the first included
 * @param initialDelay the wait before the second attempt
 * @param maxDelay     the longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidRequestException("bad retry policy: " + maxAttempts + " attempts, " + initialDelay
                    + " .. " + maxDelay);
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        Duration d = initialDelay.multipliedBy(1L << doublings);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /** The wait after a failed attempt whose response asked for {@code retryAfter} (null if it did not). */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        Duration backoff = delayAfter(attempt);
        if (retryAfter == null || retryAfter.compareTo(backoff) <= 0) {
            return backoff;
        }
        return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
    }
}
