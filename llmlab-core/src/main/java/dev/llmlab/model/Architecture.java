package dev.llmlab.model;

import java.util.Set;

/**
 * What distinguishes one decoder architecture from the common Llama-style block: its name in model metadata,
 * RoPE layout in GGUF files, and which optional tensors it has. Everything else is shared.
 *
 * @param name           {@code general.architecture} value
 * @param ggufRopeLayout RoPE pair layout of q/k as stored in GGUF files of this architecture
 * @param optionalRoles  roles that may be absent (biases; OUTPUT when the head is tied to the embedding)
 */
public record Architecture(String name, RopeLayout ggufRopeLayout, Set<TensorRole> optionalRoles) {

    public Architecture {
        optionalRoles = Set.copyOf(optionalRoles);
    }

    /** Tied output head and q/k/v biases may be present or not in any of these architectures. */
    private static final Set<TensorRole> TIED_HEAD_AND_BIASES = Set.of(TensorRole.OUTPUT,
            TensorRole.ATTN_Q_BIAS, TensorRole.ATTN_K_BIAS, TensorRole.ATTN_V_BIAS);

    public static final Architecture LLAMA = new Architecture("llama", RopeLayout.INTERLEAVED, TIED_HEAD_AND_BIASES);
    public static final Architecture MISTRAL = new Architecture("mistral", RopeLayout.INTERLEAVED, TIED_HEAD_AND_BIASES);
    public static final Architecture QWEN2 = new Architecture("qwen2", RopeLayout.NEOX, TIED_HEAD_AND_BIASES);

    public boolean isOptional(TensorRole role) {
        return optionalRoles.contains(role);
    }
}
