package dev.llmlab.tokenizer;

import dev.llmlab.error.InvalidRequestException;

import java.util.OptionalInt;

/**
 * What the tokenizers of a GGUF vocabulary share: the token table, the special ids, and decoding through each
 * token's bytes ({@link Utf8StreamingDecoder}, so streamed pieces always concatenate to {@link #decode}).
 * Subclasses say how text is encoded and what bytes a token stands for. Immutable and thread-safe.
 */
abstract sealed class VocabularyTokenizer implements Tokenizer permits SentencePieceTokenizer, ByteLevelBpeTokenizer {
    final Vocabulary vocab;
    final SpecialTokens special;

    /** @throws IllegalArgumentException if a special id is outside the vocabulary */
    VocabularyTokenizer(Vocabulary vocab, SpecialTokens special) {
        this.vocab = vocab;
        this.special = special;
        for (int id : new int[] {special.bos(), special.eos(), special.unk(), special.eot(), special.eom(),
                special.pad()}) {
            if (id != SpecialTokens.NONE && !vocab.contains(id)) {
                throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary (size "
                        + vocab.size() + ")");
            }
        }
    }

    /** The bytes token {@code id} adds to the text; {@code first} for the first token of a sequence. */
    abstract byte[] tokenBytes(int id, boolean first);

    @Override
    public String decode(int[] ids) {
        return Utf8StreamingDecoder.decodeAll(this::checkedTokenBytes, ids);
    }

    @Override
    public StreamingDecoder newStreamingDecoder() {
        return new Utf8StreamingDecoder(this::checkedTokenBytes);
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return vocab.piece(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public OptionalInt bosId() {
        return special.bosId();
    }

    @Override
    public OptionalInt eosId() {
        return special.eosId();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return special.endOfGeneration().contains(id);
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public SpecialTokens specialTokens() {
        return special;
    }

    private byte[] checkedTokenBytes(int id, boolean first) {
        checkId(id);
        return tokenBytes(id, first);
    }

    private void checkId(int id) {
        if (!vocab.contains(id)) {
            throw new InvalidRequestException("token id " + id + " is outside the vocabulary (0.."
                    + (vocab.size() - 1) + ")");
        }
    }
}
