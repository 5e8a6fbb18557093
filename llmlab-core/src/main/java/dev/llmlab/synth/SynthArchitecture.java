package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;

/**
 * The decoder families the synthetic-model writer can lay out, named as llama.cpp names them in
 * {@code general.architecture}.
 */
public enum SynthArchitecture {
    /** RMSNorm, RoPE, separate q/k/v without biases, SwiGLU feed-forward. */
    LLAMA("llama", true, false, false),
    /** Llama plus q/k/v biases. */
    QWEN2("qwen2", true, true, false),
    /** LayerNorm with biases, learned position embeddings, fused qkv, GELU feed-forward, biases everywhere. */
    GPT2("gpt2", false, true, true);

    private final String ggufName;
    private final boolean rmsNormAndRope;
    private final boolean attentionBiases;
    private final boolean gpt2Layout;

    SynthArchitecture(String ggufName, boolean rmsNormAndRope, boolean attentionBiases, boolean gpt2Layout) {
        this.ggufName = ggufName;
        this.rmsNormAndRope = rmsNormAndRope;
        this.attentionBiases = attentionBiases;
        this.gpt2Layout = gpt2Layout;
    }

    /** The value of {@code general.architecture} and the prefix of the architecture's metadata keys. */
    public String ggufName() {
        return ggufName;
    }

    /** RMSNorm + rotary position embeddings (llama family), as opposed to LayerNorm + learned positions. */
    public boolean usesRmsNormAndRope() {
        return rmsNormAndRope;
    }

    public boolean hasAttentionBiases() {
        return attentionBiases;
    }

    /** GPT-2's tensor layout: fused attn_qkv, no ffn_gate, norms and projections with biases. */
    public boolean hasGpt2Layout() {
        return gpt2Layout;
    }

    public static SynthArchitecture byGgufName(String name) {
        for (SynthArchitecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        throw new InvalidRequestException("unknown architecture '" + name
                + "' for a synthetic model; valid: llama, qwen2, gpt2");
    }
}
