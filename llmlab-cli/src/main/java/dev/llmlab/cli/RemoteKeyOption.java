package dev.llmlab.cli;

import picocli.CommandLine.Option;

/** The API key for a remote model ({@code openai:URL#model}); {@code OPENAI_API_KEY} when absent. */
final class RemoteKeyOption {
    @Option(names = "--api-key", paramLabel = "KEY", description = "Key for a remote model (openai:URL#model); "
            + "default: the OPENAI_API_KEY environment variable.")
    String apiKey;
}
