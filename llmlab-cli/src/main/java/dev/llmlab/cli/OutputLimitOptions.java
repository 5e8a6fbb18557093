package dev.llmlab.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** Options shared by the commands that generate: how much, where to stop, and JSON lines output. */
final class OutputLimitOptions {

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "200",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "S", description = "Stop before this text (repeatable).")
    List<String> stops = List.of();

    @Option(names = "--json", description = "JSON lines: one per token, then the result with timings.")
    boolean json;
}
