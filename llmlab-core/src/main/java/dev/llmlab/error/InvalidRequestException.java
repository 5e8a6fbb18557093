package dev.llmlab.error;

/** A caller asked for something invalid: a bad option value, an unknown experiment, an impossible setting. */
public final class InvalidRequestException extends LlmlabException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
