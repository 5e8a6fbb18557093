package dev.llmlab.generate;

import java.util.List;

/**
 * A finished generation.
 *
 * @param text         the generated text (stop string excluded)
 * @param tokenIds     the generated token ids (empty when the backend does not report ids, e.g. a remote server)
 * @param finishReason why it stopped
 * @param timings      the timing record
 * @param backend      which backend produced it (e.g. {@code llmlab-java}, {@code openai:http://...})
 * @param notes        what the backend had to do differently from what was asked, for the record (e.g. "the
 *                     server did not stream; retried once without streaming"); empty when nothing
 */
public record GenerationResult(String text, List<Integer> tokenIds, FinishReason finishReason, Timings timings,
                               String backend, List<String> notes) {
    public GenerationResult {
        tokenIds = List.copyOf(tokenIds);
        notes = List.copyOf(notes);
    }

    /** A result without notes. */
    public GenerationResult(String text, List<Integer> tokenIds, FinishReason finishReason, Timings timings,
                            String backend) {
        this(text, tokenIds, finishReason, timings, backend, List.of());
    }
}
