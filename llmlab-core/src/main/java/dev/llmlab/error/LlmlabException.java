package dev.llmlab.error;

/**
 * Root of llmlab's unchecked exceptions. Every message says what failed, where, and what to do about it;
 * only the CLI's top level turns these into exit codes.
 */
public sealed class LlmlabException extends RuntimeException
        permits ModelFormatException, ModelNotFoundException, UnsupportedModelException, InvalidRequestException,
        HubException, InsufficientMemoryException {

    public LlmlabException(String message) {
        super(message);
    }

    public LlmlabException(String message, Throwable cause) {
        super(message, cause);
    }
}
