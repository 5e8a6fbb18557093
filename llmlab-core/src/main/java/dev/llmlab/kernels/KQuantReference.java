package dev.llmlab.kernels;

import java.lang.foreign.MemorySegment;

import static dev.llmlab.kernels.LegacyQuantReference.I8;
import static dev.llmlab.kernels.LegacyQuantReference.half;
import static dev.llmlab.kernels.LegacyQuantReference.u8;

/**
 * Scalar reference decoders of the K-quants (super-blocks of 256 values), written after llama.cpp's
 * {@code dequantize_row_q2_K} .. {@code dequantize_row_q6_K} (same arithmetic, same order: bit for bit the
 * same floats). Each method decodes one super-block at {@code block} into {@code out[o..o + 256)}.
 * <pre>
 *   Q2_K  84 bytes: scales[16] (4-bit scale | 4-bit min per 16 values), qs[64] (2 bits), d, dmin (f16)
 *   Q3_K 110 bytes: hmask[32] (3rd bit), qs[64] (2 low bits), scales[12] (16 x 6 bits), d (f16)
 *   Q4_K 144 bytes: d, dmin (f16), scales[12] (8 x 6-bit scale, 8 x 6-bit min), qs[128] (4 bits)
 *   Q5_K 176 bytes: d, dmin (f16), scales[12] (as Q4_K), qh[32] (5th bit), qs[128] (4 low bits)
 *   Q6_K 210 bytes: ql[128] (4 low bits), qh[64] (2 high bits), scales[16] (int8 per 16 values), d (f16)
 * </pre>
 * The bit positions are irregular (they follow llama.cpp's SIMD code); the loops below are the layout's spec.
 */
final class KQuantReference {
    static final int QK = 256;

    private KQuantReference() {
    }

    static void q2_K(MemorySegment data, long block, float[] out, int o) {
        long scales = block;
        long qs = block + 16;
        float d = half(data, block + 80);
        float min = half(data, block + 82);
        int y = o;
        int is = 0;
        for (int n = 0; n < QK; n += 128) {
            long q = qs + n / 4;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    int sc = u8(data, scales + is++);
                    float dl = d * (sc & 0xF);
                    float ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        out[y++] = dl * ((u8(data, q + 16 * half + l) >>> shift) & 3) - ml;
                    }
                }
            }
        }
    }

    static void q3_K(MemorySegment data, long block, float[] out, int o) {
        long hmask = block;
        long qs = block + 32;
        long scales = block + 96;
        float dAll = half(data, block + 108);
        int y = o;
        int is = 0;
        int m = 1;
        for (int n = 0; n < QK; n += 128) {
            long q = qs + n / 4;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    float dl = dAll * (q3Scale(data, scales, is++) - 32);
                    for (int l = 0; l < 16; l++) {
                        int low = (u8(data, q + 16 * half + l) >>> shift) & 3;
                        int high = (u8(data, hmask + 16 * half + l) & m) != 0 ? 0 : 4;
                        out[y++] = dl * (low - high);
                    }
                }
                m <<= 1;
            }
        }
    }

    /** Q3_K's 6-bit scale {@code j} (0..15): 4 low bits in bytes 0..7, 2 high bits in bytes 8..11. */
    static int q3Scale(MemorySegment data, long scales, int j) {
        int low = j < 8 ? u8(data, scales + j) & 0xF : u8(data, scales + j - 8) >>> 4;
        int high = (u8(data, scales + 8 + j % 4) >>> (2 * (j / 4))) & 3;
        return low | high << 4;
    }

    static void q4_K(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        float min = half(data, block + 2);
        long scales = block + 4;
        long q = block + 16;
        int y = o;
        for (int j = 0, is = 0; j < QK; j += 64, is += 2, q += 32) {
            float d1 = d * scale(data, scales, is);
            float m1 = min * min(data, scales, is);
            float d2 = d * scale(data, scales, is + 1);
            float m2 = min * min(data, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                out[y++] = d1 * (u8(data, q + l) & 0xF) - m1;
            }
            for (int l = 0; l < 32; l++) {
                out[y++] = d2 * (u8(data, q + l) >>> 4) - m2;
            }
        }
    }

    static void q5_K(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block);
        float min = half(data, block + 2);
        long scales = block + 4;
        long qh = block + 16;
        long ql = block + 48;
        int y = o;
        int u1 = 1;
        int u2 = 2;
        for (int j = 0, is = 0; j < QK; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
            float d1 = d * scale(data, scales, is);
            float m1 = min * min(data, scales, is);
            float d2 = d * scale(data, scales, is + 1);
            float m2 = min * min(data, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                int high = (u8(data, qh + l) & u1) != 0 ? 16 : 0;
                out[y++] = d1 * ((u8(data, ql + l) & 0xF) + high) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int high = (u8(data, qh + l) & u2) != 0 ? 16 : 0;
                out[y++] = d2 * ((u8(data, ql + l) >>> 4) + high) - m2;
            }
        }
    }

    static void q6_K(MemorySegment data, long block, float[] out, int o) {
        float d = half(data, block + 208);
        long ql = block;
        long qh = block + 128;
        long sc = block + 192;
        for (int n = 0; n < QK; n += 128, ql += 64, qh += 32, sc += 8) {
            int y = o + n;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = u8(data, qh + l);
                int q1 = ((u8(data, ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((u8(data, ql + l + 32) & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((u8(data, ql + l) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((u8(data, ql + l + 32) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                out[y + l] = d * data.get(I8, sc + is) * q1;
                out[y + l + 32] = d * data.get(I8, sc + is + 2) * q2;
                out[y + l + 64] = d * data.get(I8, sc + is + 4) * q3;
                out[y + l + 96] = d * data.get(I8, sc + is + 6) * q4;
            }
        }
    }

    /**
     * Q4_K/Q5_K 6-bit scale {@code j} (0..7) of the 12 packed bytes (llama.cpp's {@code get_scale_min_k4}):
     * scales 0..3 are the low 6 bits of bytes 0..3; scales 4..7 take 4 bits from bytes 8..11 and their top
     * 2 bits from the top of bytes 0..3.
     */
    static int scale(MemorySegment data, long scales, int j) {
        return j < 4
                ? u8(data, scales + j) & 63
                : (u8(data, scales + j + 4) & 0xF) | ((u8(data, scales + j - 4) >>> 6) << 4);
    }

    /** The matching 6-bit min: bytes 4..7 low bits; for 4..7 the high nibble of bytes 8..11 and bytes 4..7's top. */
    static int min(MemorySegment data, long scales, int j) {
        return j < 4
                ? u8(data, scales + j + 4) & 63
                : (u8(data, scales + j + 4) >>> 4) | ((u8(data, scales + j) >>> 6) << 4);
    }
}
