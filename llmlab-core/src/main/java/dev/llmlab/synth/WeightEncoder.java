package dev.llmlab.synth;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.quant.Encoders;

/**
 * Encodes the synthetic models' float weights into GGUF tensor bytes. Delegates to {@link Encoders}, the one
 * implementation of each encoding (llama.cpp's reference quantizers, byte for byte), so synthetic files quantize
 * exactly like files made by {@code llmlab quantize} or llama.cpp.
 */
public final class WeightEncoder {

    private WeightEncoder() {
    }

    /** Whether {@link #encode} supports {@code type}. */
    public static boolean supports(GgmlType type) {
        return Encoders.supports(type);
    }

    /**
     * Encodes {@code count} values from {@code src[srcOffset..]} into {@code dst[dstOffset..]}; {@code count} must
     * be a multiple of the type's block size. Returns the number of bytes written.
     */
    public static int encode(GgmlType type, float[] src, int srcOffset, int count, byte[] dst, int dstOffset) {
        return Encoders.encode(type, src, srcOffset, count, dst, dstOffset);
    }
}
