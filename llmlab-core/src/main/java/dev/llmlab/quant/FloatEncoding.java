package dev.llmlab.quant;

/** Unquantized encodings: F32 as is, F16 and BF16 rounded to nearest even (ggml's conversions). */
final class FloatEncoding {
    private FloatEncoding() {
    }

    static void f32(float[] src, int from, int count, byte[] dst, int at) {
        for (int i = 0; i < count; i++) {
            Bytes.putFloat(dst, at + 4 * i, src[from + i]);
        }
    }

    static void f16(float[] src, int from, int count, byte[] dst, int at) {
        for (int i = 0; i < count; i++) {
            Bytes.putHalf(dst, at + 2 * i, src[from + i]);
        }
    }

    static void bf16(float[] src, int from, int count, byte[] dst, int at) {
        for (int i = 0; i < count; i++) {
            Bytes.putShort(dst, at + 2 * i, toBfloat16(src[from + i]));
        }
    }

    /** ggml's fp32_to_bf16: round to nearest even; NaN stays a (quiet) NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
