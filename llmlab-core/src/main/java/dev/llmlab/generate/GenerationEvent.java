package dev.llmlab.generate;

import java.time.Duration;

/** What a generation stream yields, in order: one PromptProcessed, Token events, then one Finished. */
public sealed interface GenerationEvent {

    /** The prompt was tokenized and processed. */
    record PromptProcessed(int promptTokens, Duration elapsed) implements GenerationEvent {
    }

    /**
     * One generated token.
     *
     * @param index   0-based position among generated tokens
     * @param tokenId the token id
     * @param text    the text this token completes; may be empty while a UTF-8 character or a possible stop
     *                string is still incomplete; the concatenation of all texts is the result's text
     * @param elapsed time since the request started
     */
    record Token(int index, int tokenId, String text, Duration elapsed) implements GenerationEvent {
    }

    /**
     * Generation ended; always the last event.
     *
     * @param trailingText text not yet delivered by Token events (held back as a possible stop-string prefix or
     *                     an incomplete character when the end came); print it after the tokens' texts
     */
    record Finished(GenerationResult result, String trailingText) implements GenerationEvent {
    }
}
