package dev.llmlab.bench;

import dev.llmlab.error.InvalidRequestException;

/**
 * What to measure, in llama-bench's terms.
 *
 * @param promptTokens    {@code -p}: tokens processed in one batch per prompt-processing run; 0 skips the test
 * @param generatedTokens {@code -n}: tokens generated one at a time per generation run; 0 skips the test
 * @param repetitions     {@code -r}: measured runs per test
 * @param warmupRuns      unmeasured runs before the measured ones (JIT compilation, page faults)
 * @param seed            seed of the random token ids fed to the model
 */
public record BenchConfig(int promptTokens, int generatedTokens, int repetitions, int warmupRuns, long seed) {
    public static final long DEFAULT_SEED = 1234;

    public BenchConfig {
        if (promptTokens < 0 || generatedTokens < 0) {
            throw new InvalidRequestException("token counts must be >= 0, got -p " + promptTokens + " -n "
                    + generatedTokens);
        }
        if (promptTokens == 0 && generatedTokens == 0) {
            throw new InvalidRequestException("nothing to measure: give -p or -n greater than 0");
        }
        if (repetitions < 1) {
            throw new InvalidRequestException("repetitions (-r) must be at least 1, got " + repetitions);
        }
        if (warmupRuns < 0) {
            throw new InvalidRequestException("warm-up runs must be >= 0, got " + warmupRuns);
        }
    }

    /** {@code -p p -n n -r r} with one warm-up run, as llama-bench does. */
    public static BenchConfig of(int promptTokens, int generatedTokens, int repetitions) {
        return new BenchConfig(promptTokens, generatedTokens, repetitions, 1, DEFAULT_SEED);
    }

    /** Context positions the tests need: the prompt batch, or one prompt token plus the generated tokens. */
    public int contextNeeded() {
        return Math.max(promptTokens, generatedTokens + 1);
    }
}
