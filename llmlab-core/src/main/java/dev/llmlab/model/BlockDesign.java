package dev.llmlab.model;

/**
 * The shape of a decoder block where architectures differ: normalization, feed-forward, positions. Everything
 * else (attention with a KV cache, residual connections) is common.
 *
 * @param normalization RMSNorm (Llama) or LayerNorm with bias (GPT-2)
 * @param feedForward   gated SiLU (Llama) or GELU (tanh approximation, GPT-2's gelu_new)
 * @param positions     rotary (RoPE) or learned absolute position embeddings
 */
public record BlockDesign(Normalization normalization, FeedForward feedForward, Positions positions) {

    public enum Normalization { RMS_NORM, LAYER_NORM }

    public enum FeedForward { SWIGLU, GELU }

    public enum Positions { ROPE, LEARNED }

    /** Llama, Mistral, Qwen2: pre-RMSNorm, SwiGLU, RoPE. */
    public static final BlockDesign LLAMA = new BlockDesign(Normalization.RMS_NORM, FeedForward.SWIGLU,
            Positions.ROPE);
    /** GPT-2: pre-LayerNorm, GELU MLP, learned positions. */
    public static final BlockDesign GPT2 = new BlockDesign(Normalization.LAYER_NORM, FeedForward.GELU,
            Positions.LEARNED);
}
