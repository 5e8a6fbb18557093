package dev.llmlab.error;

/**
 * The Hugging Face Hub (or the network on the way) refused or failed a request: authentication, a gated
 * licence, rate limits that outlasted the retries, a download whose bytes did not match their hash.
 */
public final class HubException extends LlmlabException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
