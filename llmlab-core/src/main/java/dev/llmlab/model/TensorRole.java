package dev.llmlab.model;

/** What a weight tensor does in a decoder, independent of how any file format names it. */
public enum TensorRole {
    TOKEN_EMBEDDING(false),
    /** Learned absolute position embeddings (GPT-2), one row per position. */
    POSITION_EMBEDDING(false),
    ATTN_NORM(true),
    ATTN_NORM_BIAS(true),
    ATTN_Q(true),
    ATTN_K(true),
    ATTN_V(true),
    /** q, k and v stacked in one matrix (GPT-2): rows [q; k; v]. */
    ATTN_QKV(true),
    ATTN_Q_BIAS(true),
    ATTN_K_BIAS(true),
    ATTN_V_BIAS(true),
    ATTN_QKV_BIAS(true),
    ATTN_OUT(true),
    ATTN_OUT_BIAS(true),
    FFN_NORM(true),
    FFN_NORM_BIAS(true),
    FFN_GATE(true),
    FFN_UP(true),
    FFN_UP_BIAS(true),
    FFN_DOWN(true),
    FFN_DOWN_BIAS(true),
    OUTPUT_NORM(false),
    OUTPUT_NORM_BIAS(false),
    OUTPUT(false),
    /** Per-frequency RoPE divisors (GGUF {@code rope_freqs.weight}, Llama 3 rope scaling). */
    ROPE_FREQS(false);

    private final boolean perLayer;

    TensorRole(boolean perLayer) {
        this.perLayer = perLayer;
    }

    public boolean perLayer() {
        return perLayer;
    }
}
