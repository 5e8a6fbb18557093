package dev.llmlab.generate;

import java.util.List;

/**
 * A finished generation.
 *
 * @param text         the generated text (stop string excluded)
 * @param tokenIds     the generated token ids
 * @param finishReason why it stopped
 * @param timings      the timing record
 * @param backend      which backend produced it (e.g. {@code llmlab-java}, {@code openai:http://...})
 */
public record GenerationResult(String text, List<Integer> tokenIds, FinishReason finishReason, Timings timings,
                               String backend) {
    public GenerationResult {
        tokenIds = List.copyOf(tokenIds);
    }
}
