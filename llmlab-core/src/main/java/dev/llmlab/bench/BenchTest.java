package dev.llmlab.bench;

import java.util.List;

/**
 * The measurements of one test, e.g. {@code pp128} or {@code tg64}.
 *
 * @param name                  {@code pp<N>} or {@code tg<N>}, as llama-bench names them
 * @param kind                  {@code pp} (prompt processing) or {@code tg} (text generation)
 * @param tokens                tokens per run
 * @param meanTokensPerSecond   mean over the measured runs
 * @param stddevTokensPerSecond sample standard deviation over the measured runs (0 for a single run)
 * @param runsTokensPerSecond   each measured run's rate, in order
 */
public record BenchTest(String name, String kind, int tokens, double meanTokensPerSecond,
                        double stddevTokensPerSecond, List<Double> runsTokensPerSecond) {

    public static final String PROMPT_PROCESSING = "pp";
    public static final String TEXT_GENERATION = "tg";

    public BenchTest {
        runsTokensPerSecond = List.copyOf(runsTokensPerSecond);
    }

    /** Summarises runs with their mean and sample standard deviation. */
    static BenchTest of(String kind, int tokens, List<Double> rates) {
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double squares = rates.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum();
        double sd = rates.size() > 1 ? Math.sqrt(squares / (rates.size() - 1)) : 0;
        return new BenchTest(kind + tokens, kind, tokens, mean, sd, rates);
    }
}
