package dev.llmlab.model;

/** What a weight tensor does in a decoder, independent of how any file format names it. */
public enum TensorRole {
    TOKEN_EMBEDDING(false, true),
    /** Learned absolute position embeddings (GPT-2), one row per position. */
    POSITION_EMBEDDING(false, true),
    ATTN_NORM(true, false),
    ATTN_NORM_BIAS(true, false),
    ATTN_Q(true, true),
    ATTN_K(true, true),
    ATTN_V(true, true),
    /** q, k and v stacked in one matrix (GPT-2): rows [q; k; v]. */
    ATTN_QKV(true, true),
    ATTN_Q_BIAS(true, false),
    ATTN_K_BIAS(true, false),
    ATTN_V_BIAS(true, false),
    ATTN_QKV_BIAS(true, false),
    ATTN_OUT(true, true),
    ATTN_OUT_BIAS(true, false),
    FFN_NORM(true, false),
    FFN_NORM_BIAS(true, false),
    FFN_GATE(true, true),
    FFN_UP(true, true),
    FFN_UP_BIAS(true, false),
    FFN_DOWN(true, true),
    FFN_DOWN_BIAS(true, false),
    OUTPUT_NORM(false, false),
    OUTPUT_NORM_BIAS(false, false),
    OUTPUT(false, true),
    /** Per-frequency RoPE divisors (GGUF {@code rope_freqs.weight}, Llama 3 rope scaling). */
    ROPE_FREQS(false, false);

    private final boolean perLayer;
    private final boolean matrix;

    TensorRole(boolean perLayer, boolean matrix) {
        this.perLayer = perLayer;
        this.matrix = matrix;
    }

    /** A 2-D weight (quantizable), as opposed to a vector (norms, biases, factors: kept F32). */
    public boolean matrix() {
        return matrix;
    }

    public boolean perLayer() {
        return perLayer;
    }
}
