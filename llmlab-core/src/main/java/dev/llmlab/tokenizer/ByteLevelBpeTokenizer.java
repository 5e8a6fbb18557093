package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The byte-level BPE tokenizer of GGUF {@code gpt2} vocabularies (GPT-2, Llama 3, Qwen2, StarCoder, Falcon),
 * token for token what llama.cpp's {@code llm_tokenizer_bpe} produces. Encoding: special tokens are split off
 * first ({@link SpecialTokenSplitter}, as for SentencePiece); each text fragment is cut into words by the
 * pre-tokenizer's expressions ({@link RegexSplitter}); each word's UTF-8 bytes are written in GPT-2's byte
 * alphabet ({@link ByteLevelAlphabet}) and merged by rank ({@link BpeModel}).
 *
 * <p>Decoding: normal tokens give the bytes their alphabet characters stand for, user-defined tokens their
 * text, control tokens nothing. Byte-level BPE is lossless: {@code decode(encode(s, false, false)) == s} for
 * every well-formed string. Immutable and thread-safe.
 */
public final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
    private static final byte[] NOTHING = new byte[0];

    private final BpeModel model;
    private final RegexSplitter preTokenizer;
    private final boolean addBos;
    private final SpecialTokenSplitter splitter;
    private final byte[][] pieceBytes;

    /**
     * @param addBos whether prompts get BOS by default (the model's metadata)
     */
    public ByteLevelBpeTokenizer(Vocabulary vocab, SpecialTokens special, BpeModel model, RegexSplitter preTokenizer,
                                 boolean addBos, Set<Integer> rstripTokens) {
        super(vocab, special);
        this.model = model;
        this.preTokenizer = preTokenizer;
        this.addBos = addBos;
        this.splitter = new SpecialTokenSplitter(vocab, Set.of(), rstripTokens);
        this.pieceBytes = new byte[vocab.size()][];
        for (int id = 0; id < vocab.size(); id++) {
            pieceBytes[id] = switch (vocab.type(id)) {
                case NORMAL -> ByteLevelAlphabet.decode(vocab.piece(id));
                case USER_DEFINED -> vocab.piece(id).getBytes(StandardCharsets.UTF_8);
                case CONTROL, UNKNOWN, UNUSED, UNDEFINED, BYTE -> NOTHING;
            };
        }
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        String input = Utf16.wellFormed(text);
        IdList out = new IdList(input.length() / 3 + 4);
        if (addBos && special.bos() != SpecialTokens.NONE) {
            out.add(special.bos());
        }
        for (SpecialTokenSplitter.Fragment f : splitter.split(input, parseSpecial)) {
            if (!f.isText()) {
                out.add(f.token());
                continue;
            }
            int start = f.start();
            for (int end : preTokenizer.split(input, f.start(), f.end())) {
                model.encode(ByteLevelAlphabet.encode(input.subSequence(start, end)), out);
                start = end;
            }
        }
        return out.toArray();
    }

    @Override
    public boolean addBosByDefault() {
        return addBos;
    }

    @Override
    byte[] tokenBytes(int id, boolean first) {
        return pieceBytes[id];
    }
}
