package dev.llmlab.model;

/**
 * Which pairs of a head's dimensions RoPE rotates together. It depends on how the source stored q/k weights:
 * llama.cpp's converter permutes Llama q/k so GGUF llama files rotate adjacent pairs; Hugging Face checkpoints
 * (and GGUF qwen2) rotate the two halves of each head.
 */
public enum RopeLayout {
    /** Pairs (2i, 2i+1): GGUF llama/mistral ("normal" rope in llama.cpp). */
    INTERLEAVED,
    /** Pairs (i, i + d/2): Hugging Face rotate_half, GGUF qwen2 ("neox" rope in llama.cpp). */
    NEOX
}
