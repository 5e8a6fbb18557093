package dev.llmlab.quant;

/**
 * Encodes float weights into one tensor type's bytes (little-endian, GGML block layout). Implementations are
 * stateless and thread-safe; scratch arrays live on the stack of each call.
 */
@FunctionalInterface
public interface BlockEncoder {

    /**
     * Encodes {@code count} values from {@code src[srcOffset..]} into {@code dst[dstOffset..]}; {@code count} is a
     * multiple of the type's block size (checked by {@link Encoders#encode}).
     */
    void encode(float[] src, int srcOffset, int count, byte[] dst, int dstOffset);
}
