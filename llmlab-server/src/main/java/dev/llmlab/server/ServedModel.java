package dev.llmlab.server;

import dev.llmlab.error.InvalidRequestException;

/**
 * The model the server offers, as /v1/models lists it.
 *
 * @param id            the name clients put in {@code "model"}
 * @param contextLength tokens each session holds; bounds max_tokens
 * @param createdEpochSeconds when it was loaded, for the {@code created} field
 */
public record ServedModel(String id, int contextLength, long createdEpochSeconds) {
    public ServedModel {
        if (id == null || id.isBlank()) {
            throw new InvalidRequestException("the served model needs a name");
        }
        if (contextLength < 1) {
            throw new InvalidRequestException("context length must be positive, got " + contextLength);
        }
    }
}
