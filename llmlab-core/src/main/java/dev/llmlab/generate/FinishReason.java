package dev.llmlab.generate;

/** Why generation stopped. */
public enum FinishReason {
    /** The model produced an end-of-generation token. */
    EOS,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** A stop string appeared in the output (it is not included in the text). */
    STOP_STRING,
    /** The context window is full. */
    CONTEXT_FULL,
    /** The caller closed the stream before it finished. */
    CANCELLED
}
