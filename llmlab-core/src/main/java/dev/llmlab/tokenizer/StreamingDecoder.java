package dev.llmlab.tokenizer;

/**
 * Decodes a stream of tokens one at a time. Each call returns the text that became complete with that token;
 * bytes of an unfinished UTF-8 character are held back until the character completes. The concatenation of
 * all returned pieces (and {@link #flush()}) equals {@link Tokenizer#decode} of the whole sequence. One per
 * stream; not thread-safe.
 */
public interface StreamingDecoder {

    String next(int tokenId);

    /** Returns whatever is held back (incomplete bytes decode as U+FFFD). */
    String flush();
}
