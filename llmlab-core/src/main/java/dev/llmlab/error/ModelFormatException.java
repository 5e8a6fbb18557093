package dev.llmlab.error;

/** A model or tokenizer file is malformed: truncated, corrupt, or internally inconsistent. */
public final class ModelFormatException extends LlmlabException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
