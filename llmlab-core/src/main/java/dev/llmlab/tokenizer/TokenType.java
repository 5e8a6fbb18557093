package dev.llmlab.tokenizer;

/**
 * The kind of a vocabulary entry, as stored in GGUF's {@code tokenizer.ggml.token_type} array (ids follow
 * llama.cpp's {@code llama_token_type}). It decides how a token is matched in text and how it decodes.
 */
public enum TokenType {
    /** Type 0 or any id llama.cpp does not know; such tokens decode to nothing, like llama.cpp does. */
    UNDEFINED(0),
    /** Ordinary text piece; {@code ▁} stands for a space. */
    NORMAL(1),
    /** The unknown token ({@code <unk>}); decodes to nothing. */
    UNKNOWN(2),
    /** BOS, EOS and other markers; decode to nothing and are only parsed from text on request. */
    CONTROL(3),
    /** Added pieces matched as whole strings before the merges, even when special parsing is off. */
    USER_DEFINED(4),
    /** Reserved slots; decode to nothing. */
    UNUSED(5),
    /** Byte-fallback token {@code <0xXX>}; decodes to that raw byte. */
    BYTE(6);

    private final int ggufId;

    TokenType(int ggufId) {
        this.ggufId = ggufId;
    }

    public int ggufId() {
        return ggufId;
    }

    /** Maps a GGUF type id; unknown ids become {@link #UNDEFINED}, as in llama.cpp. */
    public static TokenType fromGgufId(int id) {
        return switch (id) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }
}
