package dev.llmlab.bench;

/** Progress of a benchmark, for a UI that wants to show it; every method defaults to nothing. */
public interface BenchListener {

    /**
     * A run of {@code test} finished. Warm-up runs are reported too but not measured; {@code run} counts from 0
     * among the warm-up runs and again among the measured runs.
     */
    default void runFinished(String test, int run, boolean warmup, double tokensPerSecond) {
    }

    static BenchListener silent() {
        return new BenchListener() {
        };
    }
}
