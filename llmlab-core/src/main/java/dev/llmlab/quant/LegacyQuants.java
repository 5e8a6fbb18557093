package dev.llmlab.quant;

/**
 * The 32-value block formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), as llama.cpp's reference quantizers
 * ({@code quantize_row_*_ref} in ggml-quants.c) compute them, operation for operation in float, so the bytes are
 * the same. Symmetric formats take the scale from the value of largest magnitude; the "_1" formats store a minimum
 * and a step between the block's min and max.
 */
final class LegacyQuants {
    private static final int QK = 32;

    private LegacyQuants() {
    }

    /** Block: fp16 d = amax / 127, then 32 int8 q = roundf(x / d). */
    static void q8_0(float[] src, int from, int count, byte[] dst, int at) {
        for (int b = 0; b < count / QK; b++, from += QK, at += 34) {
            float amax = 0f;
            for (int j = 0; j < QK; j++) {
                amax = Math.max(amax, Math.abs(src[from + j]));
            }
            float d = amax / 127;
            float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(dst, at, d);
            for (int j = 0; j < QK; j++) {
                dst[at + 2 + j] = (byte) roundf(src[from + j] * id);
            }
        }
    }

    /**
     * Block: fp16 d = (value of largest magnitude) / -8, then 16 bytes of q = min(15, trunc(x / d + 8.5)); low
     * nibbles hold values 0..15, high nibbles 16..31.
     */
    static void q4_0(float[] src, int from, int count, byte[] dst, int at) {
        for (int b = 0; b < count / QK; b++, from += QK, at += 18) {
            float max = signedAbsMax(src, from);
            float d = max / -8;
            float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(dst, at, d);
            for (int j = 0; j < QK / 2; j++) {
                int lo = Math.min(15, truncToInt8(src[from + j] * id + 8.5f));
                int hi = Math.min(15, truncToInt8(src[from + QK / 2 + j] * id + 8.5f));
                dst[at + 2 + j] = (byte) (lo | (hi << 4));
            }
        }
    }

    /** Block: fp16 d = (max - min) / 15, fp16 m = min, then nibbles q = min(15, trunc((x - min) / d + 0.5)). */
    static void q4_1(float[] src, int from, int count, byte[] dst, int at) {
        for (int b = 0; b < count / QK; b++, from += QK, at += 20) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = src[from + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / 15;
            float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(dst, at, d);
            Bytes.putHalf(dst, at + 2, min);
            for (int j = 0; j < QK / 2; j++) {
                int lo = Math.min(15, truncToInt8((src[from + j] - min) * id + 0.5f));
                int hi = Math.min(15, truncToInt8((src[from + QK / 2 + j] - min) * id + 0.5f));
                dst[at + 4 + j] = (byte) (lo | (hi << 4));
            }
        }
    }

    /**
     * Block: fp16 d = (value of largest magnitude) / -16, 4 bytes of fifth bits (bit j = value j), 16 bytes of low
     * nibbles; q = min(31, trunc(x / d + 16.5)).
     */
    static void q5_0(float[] src, int from, int count, byte[] dst, int at) {
        for (int b = 0; b < count / QK; b++, from += QK, at += 22) {
            float max = signedAbsMax(src, from);
            float d = max / -16;
            float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(dst, at, d);
            int qh = 0;
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(31, truncToInt8(src[from + j] * id + 16.5f));
                int q1 = Math.min(31, truncToInt8(src[from + QK / 2 + j] * id + 16.5f));
                dst[at + 6 + j] = (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + QK / 2);
            }
            putInt(dst, at + 2, qh);
        }
    }

    /** Block: fp16 d = (max - min) / 31, fp16 m = min, 4 bytes of fifth bits, 16 bytes of low nibbles. */
    static void q5_1(float[] src, int from, int count, byte[] dst, int at) {
        for (int b = 0; b < count / QK; b++, from += QK, at += 24) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = src[from + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / 31;
            float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(dst, at, d);
            Bytes.putHalf(dst, at + 2, min);
            int qh = 0;
            for (int j = 0; j < QK / 2; j++) {
                // C converts to uint8_t without clamping; the masks below keep what C keeps.
                int q0 = truncToUint8((src[from + j] - min) * id + 0.5f);
                int q1 = truncToUint8((src[from + QK / 2 + j] - min) * id + 0.5f);
                dst[at + 8 + j] = (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + QK / 2);
            }
            putInt(dst, at + 4, qh);
        }
    }

    /** The block's value of largest magnitude, with its sign (the first one on ties). */
    private static float signedAbsMax(float[] src, int from) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < QK; j++) {
            float v = src[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** C's {@code (int8_t) f} for the in-range values these formats produce (truncation toward zero). */
    private static int truncToInt8(float f) {
        return (byte) (int) f;
    }

    private static int truncToUint8(float f) {
        return ((int) f) & 0xFF;
    }

    /** C's roundf: half away from zero. */
    static int roundf(float v) {
        int r = Math.round(Math.abs(v));
        return v < 0 ? -r : r;
    }

    private static void putInt(byte[] dst, int at, int v) {
        dst[at] = (byte) v;
        dst[at + 1] = (byte) (v >>> 8);
        dst[at + 2] = (byte) (v >>> 16);
        dst[at + 3] = (byte) (v >>> 24);
    }
}
