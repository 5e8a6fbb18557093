package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encodes float weights into GGUF tensor bytes (little-endian) for F32, F16, BF16, Q8_0 and Q4_0. The two
 * quantizers reproduce llama.cpp's reference quantizers ({@code quantize_row_q8_0_ref}, {@code
 * quantize_row_q4_0_ref}) bit for bit, so files written here quantize like llama.cpp's own.
 */
public final class WeightEncoder {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private WeightEncoder() {
    }

    /** Whether {@link #encode} supports {@code type}. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> true;
            default -> false;
        };
    }

    /**
     * Encodes {@code count} values from {@code src[srcOffset..]} into {@code dst[dstOffset..]}; {@code count} must
     * be a multiple of the type's block size. Returns the number of bytes written.
     */
    public static int encode(GgmlType type, float[] src, int srcOffset, int count, byte[] dst, int dstOffset) {
        if (count % type.blockSize() != 0) {
            throw new InvalidRequestException(count + " values are not a whole number of " + type + " blocks");
        }
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    F32.set(dst, dstOffset + 4 * i, src[srcOffset + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    I16.set(dst, dstOffset + 2 * i, Float.floatToFloat16(src[srcOffset + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    I16.set(dst, dstOffset + 2 * i, toBfloat16(src[srcOffset + i]));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < count / 32; b++) {
                    quantizeQ8_0(src, srcOffset + 32 * b, dst, dstOffset + 34 * b);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < count / 32; b++) {
                    quantizeQ4_0(src, srcOffset + 32 * b, dst, dstOffset + 18 * b);
                }
            }
            default -> throw new InvalidRequestException("cannot encode weights as " + type
                    + "; supported: F32, F16, BF16, Q8_0, Q4_0");
        }
        return (int) type.bytesFor(count);
    }

    /** Round to nearest even, as ggml's fp32_to_bf16; NaN stays a (quiet) NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Block: fp16 scale d = max|x| / 127, then 32 int8 q = round(x / d). */
    private static void quantizeQ8_0(float[] x, int from, byte[] dst, int at) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[from + j]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        I16.set(dst, at, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) {
            dst[at + 2 + j] = (byte) roundHalfAwayFromZero(x[from + j] * id);
        }
    }

    /**
     * Block: fp16 scale d = (the value of largest magnitude) / -8, then 16 bytes holding q = clamp(x / d + 8.5
     * truncated, 0, 15); low nibbles are elements 0..15, high nibbles 16..31.
     */
    private static void quantizeQ4_0(float[] x, int from, byte[] dst, int at) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < 32; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        I16.set(dst, at, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            // x*id lies in [-8, 8], so x*id + 8.5 is positive and the int cast truncates like C's (int8_t).
            int lo = Math.min(15, (int) (x[from + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[from + 16 + j] * id + 8.5f));
            dst[at + 2 + j] = (byte) (lo | (hi << 4));
        }
    }

    /** C's roundf. */
    private static int roundHalfAwayFromZero(float v) {
        int r = Math.round(Math.abs(v));
        return v < 0 ? -r : r;
    }
}
