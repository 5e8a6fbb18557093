package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar reference implementations: the specification of each format's decoding, written for clarity.
 * Vector kernels are tested against these.
 */
public final class ScalarKernels {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private ScalarKernels() {
    }

    /** A kernel that decodes with {@link #decode} and multiplies in float. */
    public static RowKernel of(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> new Reference(type);
            default -> throw new IllegalArgumentException("no scalar reference for " + type);
        };
    }

    /** Decodes {@code count} values of {@code type}; the reference decoder of every supported format. */
    public static void decode(GgmlType type, MemorySegment data, long byteOffset, float[] out, int outOffset,
                              int count) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = data.get(F32, byteOffset + 4L * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = Float.float16ToFloat(data.get(I16, byteOffset + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = Float.intBitsToFloat(data.get(I16, byteOffset + 2L * i) << 16);
                }
            }
            case Q8_0 -> {
                // block: f16 scale d, then 32 int8 quants; value = d * q
                for (int b = 0; b < count / 32; b++) {
                    long block = byteOffset + 34L * b;
                    float d = Float.float16ToFloat(data.get(I16, block));
                    for (int j = 0; j < 32; j++) {
                        out[outOffset + b * 32 + j] = d * data.get(I8, block + 2 + j);
                    }
                }
            }
            case Q4_0 -> {
                // block: f16 scale d, then 16 bytes; low nibbles are values 0..15, high nibbles 16..31;
                // value = d * (nibble - 8)
                for (int b = 0; b < count / 32; b++) {
                    long block = byteOffset + 18L * b;
                    float d = Float.float16ToFloat(data.get(I16, block));
                    int base = outOffset + b * 32;
                    for (int j = 0; j < 16; j++) {
                        int q = Byte.toUnsignedInt(data.get(I8, block + 2 + j));
                        out[base + j] = d * ((q & 0x0F) - 8);
                        out[base + j + 16] = d * ((q >>> 4) - 8);
                    }
                }
            }
            default -> throw new IllegalArgumentException("no scalar reference for " + type);
        }
    }

    private record Reference(GgmlType type) implements RowKernel {
        @Override
        public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
            float[] row = new float[count];
            decode(type, data, byteOffset, row, 0, count);
            float sum = 0f;
            for (int i = 0; i < count; i++) {
                sum += row[i] * x[xOffset + i];
            }
            return sum;
        }

        @Override
        public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
            decode(type, data, byteOffset, out, outOffset, count);
        }
    }
}
