package dev.llmlab.hub;

import java.time.Duration;

/** Waits between retries; injected so tests of backoff run instantly and can see the delays. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return d -> Thread.sleep(d);
    }
}
