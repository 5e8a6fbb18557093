package dev.llmlab.error;

/** A well-formed model that uses something llmlab does not support (an architecture, a tensor type...). */
public final class UnsupportedModelException extends LlmlabException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
