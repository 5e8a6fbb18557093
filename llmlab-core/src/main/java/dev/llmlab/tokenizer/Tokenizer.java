package dev.llmlab.tokenizer;

import java.util.OptionalInt;

/** Text to token ids and back. Immutable and thread-safe. */
public interface Tokenizer {

    /**
     * Encodes text.
     *
     * @param addBos       add the beginning-of-sequence token first (if the vocabulary has one)
     * @param parseSpecial recognise special/control token texts (e.g. {@code <s>}) in the input as those tokens;
     *                     when false they are tokenized as plain text
     */
    int[] encode(String text, boolean addBos, boolean parseSpecial);

    /** Decodes ids to text; control tokens (BOS, EOS, ...) decode to nothing. */
    String decode(int[] ids);

    /** The raw vocabulary entry of a token, as stored (e.g. {@code ▁the}, {@code <0x0A>}). */
    String piece(int id);

    int vocabSize();

    OptionalInt bosId();

    OptionalInt eosId();

    /** Whether the model metadata asks for BOS to be added to prompts. */
    boolean addBosByDefault();

    /** True for tokens that end generation (EOS, EOT, ...). */
    boolean isEndOfGeneration(int id);

    /** A decoder for one stream of tokens that never emits half a UTF-8 character. */
    StreamingDecoder newStreamingDecoder();
}
