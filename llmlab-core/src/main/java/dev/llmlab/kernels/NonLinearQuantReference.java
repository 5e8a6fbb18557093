package dev.llmlab.kernels;

import java.lang.foreign.MemorySegment;

import static dev.llmlab.kernels.LegacyQuantReference.I16;
import static dev.llmlab.kernels.LegacyQuantReference.half;
import static dev.llmlab.kernels.LegacyQuantReference.u8;

/**
 * Scalar reference decoders of the non-linear 4-bit formats (llama.cpp's {@code dequantize_row_iq4_nl} and
 * {@code dequantize_row_iq4_xs}): each nibble indexes a fixed table of 16 levels instead of being the level.
 * <pre>
 *   IQ4_NL  18 bytes / 32 values:  d (f16), qs[16]                          value = d * LEVELS[nibble]
 *   IQ4_XS 136 bytes / 256 values: d (f16), scales_h (u16), scales_l[4], qs[128]
 *           8 groups of 32: 6-bit scale ls (4 bits from scales_l, 2 from scales_h),
 *                                                                          value = (d * (ls - 32)) * LEVELS[nibble]
 * </pre>
 * Within each 32 values, as in Q4_0: low nibble of qs[j] is value j, high nibble value j + 16.
 */
final class NonLinearQuantReference {
    /** llama.cpp's {@code kvalues_iq4nl}. */
    static final byte[] LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private NonLinearQuantReference() {
    }

    static void iq4_nl(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        nibbles(data, block + 2, d, out, o);
    }

    static void iq4_xs(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        for (int ib = 0; ib < 8; ib++) {
            float dl = d * (iq4xsScale(data, block, ib) - 32);
            nibbles(data, block + 8 + 16L * ib, dl, out, o + 32 * ib);
        }
    }

    /** IQ4_XS's 6-bit scale of group {@code ib} (0..7). */
    static int iq4xsScale(MemorySegment data, long block, int ib) {
        int scalesHigh = Short.toUnsignedInt(data.get(I16, block + 2));
        return ((u8(data, block + 4 + ib / 2) >>> (4 * (ib % 2))) & 0xF) | (((scalesHigh >>> (2 * ib)) & 3) << 4);
    }

    private static void nibbles(MemorySegment data, long qs, float d, float[] out, int o) {
        for (int j = 0; j < 16; j++) {
            int q = u8(data, qs + j);
            out[o + j] = d * LEVELS[q & 0xF];
            out[o + j + 16] = d * LEVELS[q >>> 4];
        }
    }
}
