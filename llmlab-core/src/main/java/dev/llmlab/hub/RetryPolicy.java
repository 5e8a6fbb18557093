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
 * @param stallTimeout a download that receives no byte for this long is cut and resumed (a stalled connection
 *                     would otherwise wait forever: the JDK client has no read timeout for bodies)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration stallTimeout) {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0
                || !stallTimeout.isPositive()) {
            throw new InvalidRequestException("bad retry policy: " + maxAttempts + " attempts, " + initialDelay
                    + " .. " + maxDelay + ", stall timeout " + stallTimeout);
        }
    }

    /** With the default stall timeout. */
    public RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this(maxAttempts, initialDelay, maxDelay, DEFAULT_STALL_TIMEOUT);
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
