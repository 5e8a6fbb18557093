package dev.llmlab.generate;

/** A source of nanosecond time, injected so that timings and rates are testable. */
@FunctionalInterface
public interface Ticker {
    long nanoTime();

    static Ticker system() {
        return System::nanoTime;
    }
}
