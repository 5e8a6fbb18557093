package dev.llmlab.model;

import java.util.Set;

/**
 * What distinguishes one decoder architecture from the common decoder block: its name in model metadata, RoPE
 * layout in GGUF files, its block design, and which optional tensors it has. Everything else is shared.
 *
 * @param name           {@code general.architecture} value
 * @param ggufRopeLayout RoPE pair layout of q/k as stored in GGUF files of this architecture
 * @param optionalRoles  roles that may be absent (biases; OUTPUT when the head is tied to the embedding)
 * @param design         norm, feed-forward and position scheme
 */
public record Architecture(String name, RopeLayout ggufRopeLayout, Set<TensorRole> optionalRoles,
                           BlockDesign design) {

    public Architecture {
        optionalRoles = Set.copyOf(optionalRoles);
    }

    public Architecture(String name, RopeLayout ggufRopeLayout, Set<TensorRole> optionalRoles) {
        this(name, ggufRopeLayout, optionalRoles, BlockDesign.LLAMA);
    }

    /**
     * Tied output head, biases of the linear layers (Qwen2 q/k/v; Llama's attention_bias / mlp_bias) and Llama 3
     * frequency factors may be present or not.
     */
    private static final Set<TensorRole> TIED_HEAD_AND_BIASES = Set.of(TensorRole.OUTPUT,
            TensorRole.ATTN_Q_BIAS, TensorRole.ATTN_K_BIAS, TensorRole.ATTN_V_BIAS, TensorRole.ATTN_OUT_BIAS,
            TensorRole.FFN_UP_BIAS, TensorRole.FFN_DOWN_BIAS, TensorRole.ROPE_FREQS);

    public static final Architecture LLAMA = new Architecture("llama", RopeLayout.INTERLEAVED, TIED_HEAD_AND_BIASES);
    public static final Architecture MISTRAL = new Architecture("mistral", RopeLayout.INTERLEAVED, TIED_HEAD_AND_BIASES);
    public static final Architecture QWEN2 = new Architecture("qwen2", RopeLayout.NEOX, TIED_HEAD_AND_BIASES);
    /** GPT-2: LayerNorm with biases, fused q/k/v, biases on every linear layer, learned positions, tied head. */
    public static final Architecture GPT2 = new Architecture("gpt2", RopeLayout.NEOX, Set.of(TensorRole.OUTPUT),
            BlockDesign.GPT2);

    public boolean isOptional(TensorRole role) {
        return optionalRoles.contains(role);
    }

    /** Whether q, k and v come as one fused matrix (and bias). */
    public boolean fusedQkv() {
        return design.positions() == BlockDesign.Positions.LEARNED;
    }
}
