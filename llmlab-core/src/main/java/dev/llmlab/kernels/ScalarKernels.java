package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Scalar reference implementations: the specification of each format's decoding, written for clarity.
 * Vector kernels are tested against these. The float formats are decoded here; the block formats by one
 * class per family ({@link LegacyQuantReference}, {@link KQuantReference}, {@link NonLinearQuantReference}),
 * each reproducing llama.cpp's reference dequantizer bit for bit.
 */
public final class ScalarKernels {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private ScalarKernels() {
    }

    /** The types with a reference decoder: every type the engine computes with. */
    public static final Set<GgmlType> TYPES = Collections.unmodifiableSet(EnumSet.of(
            GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
            GgmlType.IQ4_NL, GgmlType.IQ4_XS));

    /** A kernel that decodes with {@link #decode} and multiplies in float. */
    public static RowKernel of(GgmlType type) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("no scalar reference for " + type);
        }
        return new Reference(type);
    }

    /**
     * Decodes {@code count} values of {@code type} (a multiple of its block size) starting at the block boundary
     * {@code byteOffset}; the reference decoder of every supported format.
     */
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
            case Q4_0 -> blocks(type, data, byteOffset, out, outOffset, count, LegacyQuantReference::q4_0);
            case Q4_1 -> blocks(type, data, byteOffset, out, outOffset, count, LegacyQuantReference::q4_1);
            case Q5_0 -> blocks(type, data, byteOffset, out, outOffset, count, LegacyQuantReference::q5_0);
            case Q5_1 -> blocks(type, data, byteOffset, out, outOffset, count, LegacyQuantReference::q5_1);
            case Q8_0 -> blocks(type, data, byteOffset, out, outOffset, count, LegacyQuantReference::q8_0);
            case Q2_K -> blocks(type, data, byteOffset, out, outOffset, count, KQuantReference::q2_K);
            case Q3_K -> blocks(type, data, byteOffset, out, outOffset, count, KQuantReference::q3_K);
            case Q4_K -> blocks(type, data, byteOffset, out, outOffset, count, KQuantReference::q4_K);
            case Q5_K -> blocks(type, data, byteOffset, out, outOffset, count, KQuantReference::q5_K);
            case Q6_K -> blocks(type, data, byteOffset, out, outOffset, count, KQuantReference::q6_K);
            case IQ4_NL -> blocks(type, data, byteOffset, out, outOffset, count, NonLinearQuantReference::iq4_nl);
            case IQ4_XS -> blocks(type, data, byteOffset, out, outOffset, count, NonLinearQuantReference::iq4_xs);
            default -> throw new IllegalArgumentException("no scalar reference for " + type);
        }
    }

    /** One block's decoder: the block at {@code block} into {@code out[o..o + blockSize)}. */
    @FunctionalInterface
    private interface BlockDecoder {
        void decode(MemorySegment data, long block, float[] out, int o);
    }

    private static void blocks(GgmlType type, MemorySegment data, long byteOffset, float[] out, int outOffset,
                               int count, BlockDecoder decoder) {
        int blockSize = type.blockSize();
        for (int b = 0; b < count / blockSize; b++) {
            decoder.decode(data, byteOffset + (long) type.blockBytes() * b, out, outOffset + blockSize * b);
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
