package dev.llmlab.chat;

import java.util.List;

/** Turns a conversation into the prompt text a model was trained on. Immutable and thread-safe. */
public interface ChatTemplate {

    /**
     * Renders the messages; with {@code addGenerationPrompt} the text ends where the assistant's reply begins.
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    /** Where the template came from, for humans (e.g. {@code "tokenizer_config.json"}, {@code "GGUF metadata"}). */
    String source();

    /**
     * Texts that end the assistant's turn although the model has no single token for them (the ChatML fallback's
     * {@code <|im_end|>} on a model without that token); generation stops before them.
     */
    default List<String> stopStrings() {
        return List.of();
    }
}
