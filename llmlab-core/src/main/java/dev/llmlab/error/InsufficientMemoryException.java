package dev.llmlab.error;

/** A model that would not fit this machine's memory, refused before anything is loaded; the message has the estimate. */
public final class InsufficientMemoryException extends LlmlabException {
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
