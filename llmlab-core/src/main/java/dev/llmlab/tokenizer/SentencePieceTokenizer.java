package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The SentencePiece-style tokenizer of GGUF {@code llama} vocabularies, token for token what llama.cpp's
 * {@code llm_tokenizer_spm} produces. Encoding: special tokens are split off first ({@link SpecialTokenSplitter});
 * each remaining text fragment gets a leading space when it starts the text or follows a special token (if
 * {@code addSpacePrefix}), spaces become {@code ▁}, and the pieces come from {@link SpmMerger}.
 *
 * <p>Decoding follows llama.cpp's {@code llama_detokenize} without special-token rendering: control and
 * unknown tokens give nothing, {@code ▁} gives a space, byte tokens give raw bytes (assembled into UTF-8), and
 * with {@code addSpacePrefix} one leading space is removed from the first token of the sequence only (so after
 * a BOS at position 0 nothing is removed). Hence {@code decode(encode(s, false, false)) == s} for well-formed
 * text without U+2581 or user-defined token texts. Immutable and thread-safe.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {
    private static final char SPACE_MARK = '\u2581';
    private static final byte[] NOTHING = new byte[0];

    private final SpmOptions options;
    private final SpecialTokenSplitter splitter;
    private final int[] byteTokens = new int[256];
    private final byte[][] pieceBytes;

    /**
     * @throws IllegalArgumentException if a special id is outside the vocabulary or a byte token is not of the
     *                                  form {@code <0xXX>}
     */
    public SentencePieceTokenizer(Vocabulary vocab, SpecialTokens special, SpmOptions options) {
        super(vocab, special);
        this.options = options;
        this.splitter = new SpecialTokenSplitter(vocab, options.lstripTokens(), options.rstripTokens());
        for (int b = 0; b < 256; b++) {
            OptionalInt id = vocab.id(String.format("<0x%02X>", b));
            if (id.isEmpty() && b < 0x80) {
                id = vocab.id(String.valueOf((char) b)); // llama.cpp's fallback: the byte itself as a piece
            }
            byteTokens[b] = id.orElse(-1);
        }
        this.pieceBytes = new byte[vocab.size()][];
        for (int id = 0; id < vocab.size(); id++) {
            pieceBytes[id] = decodedBytes(id);
        }
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        String input = Utf16.wellFormed(text);
        IdList out = new IdList(input.length() / 3 + 4);
        if (addBos && special.bos() != SpecialTokens.NONE) {
            out.add(special.bos());
        }
        SpmMerger merger = new SpmMerger(vocab, byteTokens, special.unk());
        boolean afterSpecial = true; // the text start counts as "after a special token"
        for (SpecialTokenSplitter.Fragment f : splitter.split(input, parseSpecial)) {
            if (!f.isText()) {
                out.add(f.token());
                afterSpecial = true;
                continue;
            }
            int length = 0;
            char[] escaped = new char[f.end() - f.start() + 1];
            if (options.addSpacePrefix() && afterSpecial) {
                escaped[length++] = SPACE_MARK;
            }
            for (int i = f.start(); i < f.end(); i++) {
                char c = input.charAt(i);
                escaped[length++] = c == ' ' ? SPACE_MARK : c;
            }
            merger.tokenize(escaped, length, out);
            afterSpecial = false;
        }
        return out.toArray();
    }

    @Override
    public boolean addBosByDefault() {
        return options.addBos();
    }

    /** Whether the model metadata asks for EOS after prompts (rare; {@link #encode} never adds it). */
    public boolean addEosByDefault() {
        return options.addEos();
    }

    public SpmOptions options() {
        return options;
    }

    /**
     * With {@code addSpacePrefix}, the first token of a sequence loses its leading space (as in {@link #decode}).
     * To stream a continuation, such as generated text shown after the user's own prompt, first feed the prompt
     * ids (BOS included) to the streaming decoder and discard what they return: then no space is lost and a
     * character split between prompt and continuation is joined.
     */
    @Override
    byte[] tokenBytes(int id, boolean first) {
        byte[] bytes = pieceBytes[id];
        if (first && options.addSpacePrefix() && bytes.length > 0 && bytes[0] == ' ') {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    private byte[] decodedBytes(int id) {
        String piece = vocab.piece(id);
        return switch (vocab.type(id)) {
            case NORMAL -> piece.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
            case USER_DEFINED -> piece.getBytes(StandardCharsets.UTF_8);
            case BYTE -> new byte[] {(byte) parseByteToken(id, piece)};
            case CONTROL, UNKNOWN, UNUSED, UNDEFINED -> NOTHING;
        };
    }

    private static int parseByteToken(int id, String piece) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return Integer.parseInt(piece.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("token " + id + " '" + piece + "' has type BYTE but is not of the form"
                + " <0xXX>");
    }
}
