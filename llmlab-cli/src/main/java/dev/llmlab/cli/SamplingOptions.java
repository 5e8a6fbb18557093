package dev.llmlab.cli;

import dev.llmlab.sampling.SamplingParams;
import picocli.CommandLine.Option;

/** Sampling options shared by {@code run} and {@code generate}; defaults come from {@link CliDefaults}. */
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T",
            description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off "
            + "(default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass; 1 = off "
            + "(default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens below P x the top probability; "
            + "0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "Penalty for recently seen tokens; "
            + "1 = off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "Window of the repeat penalty "
            + "(default: ${DEFAULT-VALUE}).")
    int repeatLastN;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same "
            + "tokens (default: ${DEFAULT-VALUE}).")
    long seed;

    SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed);
    }
}
