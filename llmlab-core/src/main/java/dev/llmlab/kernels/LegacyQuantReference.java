package dev.llmlab.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar reference decoders of ggml's original 32-value block formats, written after llama.cpp's
 * {@code dequantize_row_q4_0} .. {@code dequantize_row_q8_0} (same arithmetic, same order, so the floats are
 * bit for bit the same). Each method decodes one block at {@code block} into {@code out[o..o + 32)}.
 * <pre>
 *   Q4_0  18 bytes: d (f16), qs[16]                value = d * (nibble - 8)
 *   Q4_1  20 bytes: d, m (f16), qs[16]             value = d * nibble + m
 *   Q5_0  22 bytes: d, qh (u32), qs[16]            value = d * ((nibble | high bit << 4) - 16)
 *   Q5_1  24 bytes: d, m, qh (u32), qs[16]         value = d * (nibble | high bit << 4) + m
 *   Q8_0  34 bytes: d, qs[32] (int8)               value = d * q
 * </pre>
 * In the nibble formats the low nibble of {@code qs[j]} is value j and the high nibble value j + 16; bit j of
 * {@code qh} is the fifth bit of value j.
 */
final class LegacyQuantReference {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private LegacyQuantReference() {
    }

    static float half(MemorySegment data, long at) {
        return Float.float16ToFloat(data.get(I16, at));
    }

    static int u8(MemorySegment data, long at) {
        return Byte.toUnsignedInt(data.get(I8, at));
    }

    static void q4_0(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        for (int j = 0; j < 16; j++) {
            int q = u8(data, block + 2 + j);
            out[o + j] = ((q & 0x0F) - 8) * d;
            out[o + j + 16] = ((q >>> 4) - 8) * d;
        }
    }

    static void q4_1(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        float m = half(data, block + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(data, block + 4 + j);
            out[o + j] = (q & 0x0F) * d + m;
            out[o + j + 16] = (q >>> 4) * d + m;
        }
    }

    static void q5_0(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        int qh = data.get(I32, block + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(data, block + 6 + j);
            int high0 = ((qh >>> j) << 4) & 0x10;
            int high1 = (qh >>> (j + 12)) & 0x10;
            out[o + j] = (((q & 0x0F) | high0) - 16) * d;
            out[o + j + 16] = (((q >>> 4) | high1) - 16) * d;
        }
    }

    static void q5_1(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        float m = half(data, block + 2);
        int qh = data.get(I32, block + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(data, block + 8 + j);
            int high0 = ((qh >>> j) << 4) & 0x10;
            int high1 = (qh >>> (j + 12)) & 0x10;
            out[o + j] = ((q & 0x0F) | high0) * d + m;
            out[o + j + 16] = ((q >>> 4) | high1) * d + m;
        }
    }

    static void q8_0(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        for (int j = 0; j < 32; j++) {
            out[o + j] = d * data.get(I8, block + 2 + j);
        }
    }
}
