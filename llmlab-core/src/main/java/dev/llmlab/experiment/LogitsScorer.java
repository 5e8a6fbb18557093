package dev.llmlab.experiment;

import dev.llmlab.model.Session;

/**
 * Evaluates a token sequence from an empty context and hands over the next-token logits after each token from
 * {@code firstOutput} on: all perplexity needs from a model, so the arithmetic is testable on made-up logits.
 */
@FunctionalInterface
public interface LogitsScorer {

    void score(int[] tokens, int firstOutput, Session.LogitsSink sink);

    /** The engine: each call starts from an empty KV cache, as llama.cpp clears its cache per chunk. */
    static LogitsScorer of(Session session) {
        return (tokens, firstOutput, sink) -> {
            session.reset();
            session.ingest(tokens, firstOutput, sink);
        };
    }
}
