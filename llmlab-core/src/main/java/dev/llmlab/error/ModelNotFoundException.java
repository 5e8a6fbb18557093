package dev.llmlab.error;

/** A model reference could not be resolved to local files. */
public final class ModelNotFoundException extends LlmlabException {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
