package dev.llmlab.model;

/** What a weight tensor does in a decoder, independent of how any file format names it. */
public enum TensorRole {
    TOKEN_EMBEDDING(false),
    ATTN_NORM(true),
    ATTN_Q(true),
    ATTN_K(true),
    ATTN_V(true),
    ATTN_Q_BIAS(true),
    ATTN_K_BIAS(true),
    ATTN_V_BIAS(true),
    ATTN_OUT(true),
    FFN_NORM(true),
    FFN_GATE(true),
    FFN_UP(true),
    FFN_DOWN(true),
    OUTPUT_NORM(false),
    OUTPUT(false);

    private final boolean perLayer;

    TensorRole(boolean perLayer) {
        this.perLayer = perLayer;
    }

    public boolean perLayer() {
        return perLayer;
    }
}
