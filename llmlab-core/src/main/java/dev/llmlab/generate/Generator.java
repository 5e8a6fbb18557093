package dev.llmlab.generate;

import dev.llmlab.chat.ChatRequest;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.model.GenerationDefaults;

/**
 * One interface over every backend: the pure-Java engine, an OpenAI-compatible server, ... All report the same
 * {@link Timings}.
 */
public interface Generator extends AutoCloseable {

    /** A short name of the backend and model, for records and summaries. */
    String describe();

    /** Defaults the model carries for options the user does not give (none unless the backend knows them). */
    default GenerationDefaults generationDefaults() {
        return GenerationDefaults.NONE;
    }

    /** Starts generating; events are produced as the caller pulls them. */
    GenerationStream stream(GenerationRequest request);

    /**
     * Continues a conversation, formatted the backend's way (the model's chat template, or the server's).
     *
     * @throws UnsupportedModelException when the backend has no way to format a conversation
     */
    default GenerationStream chat(ChatRequest request) {
        throw new UnsupportedModelException(describe() + " cannot format chat messages (no chat template); "
                + "send a plain prompt instead");
    }

    /** Generates to the end and returns the whole result. */
    default GenerationResult generate(GenerationRequest request) {
        try (GenerationStream s = stream(request)) {
            while (s.hasNext()) {
                if (s.next() instanceof GenerationEvent.Finished f) {
                    return f.result();
                }
            }
        }
        throw new IllegalStateException("generation stream ended without a result");
    }

    @Override
    void close();
}
