package dev.llmlab.synth;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Random but valid blocks of the block-quantized types, for speed measurement and load tests of formats this
 * package has no encoder for (K-quants, IQ4): random quant bytes (every bit pattern is a valid quant, scale or
 * min) with fp16 super-scales sized so that decoded values have about the requested standard deviation.
 * This is not quantization: the values are noise, not an approximation of given weights.
 */
public final class RandomQuantBlocks {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private RandomQuantBlocks() {
    }

    /** Whether {@link #fill} can write {@code type}. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS -> true;
            default -> false;
        };
    }

    /** Byte offsets of a block's fp16 fields: the scale d first, then the min (dmin or m) if the type has one. */
    public static int[] halfFieldOffsets(GgmlType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0, IQ4_NL, IQ4_XS -> new int[]{0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[]{0, 2};
            case Q2_K -> new int[]{80, 82};
            case Q3_K -> new int[]{108};
            case Q6_K -> new int[]{208};
            default -> throw new IllegalArgumentException(type + " is not a block-quantized type");
        };
    }

    /**
     * Writes {@code blocks} random blocks of {@code type} at {@code offset}; decoded values have a standard
     * deviation of about {@code std}.
     */
    public static void fill(GgmlType type, MemorySegment target, long offset, long blocks, float std,
                            SplittableRandom random) {
        int[] halves = halfFieldOffsets(type);
        float d = std / unitScaleRms(type);
        short scale = Float.floatToFloat16(d);
        // a min that roughly centres the values (types whose quants are all non-negative)
        short min = Float.floatToFloat16(-d * minPerScale(type));
        byte[] bytes = new byte[type.blockBytes()];
        for (long b = 0; b < blocks; b++) {
            random.nextBytes(bytes);
            long block = offset + b * bytes.length;
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, block, bytes.length);
            target.set(I16, block + halves[0], scale);
            if (halves.length > 1) {
                // Q4_1/Q5_1 add m (negative); the K-quants subtract dmin * min (positive dmin)
                target.set(I16, block + halves[1], type == GgmlType.Q4_1 || type == GgmlType.Q5_1
                        ? min : (short) (min ^ 0x8000));
            }
        }
    }

    /** Root mean square of a decoded value of random bytes when the fp16 scale is 1. */
    private static float unitScaleRms(GgmlType type) {
        return switch (type) {
            case Q4_0, Q4_1 -> 4.6f;     // nibble - 8
            case Q5_0, Q5_1 -> 9.2f;     // 5 bits - 16
            case Q8_0 -> 74f;            // int8
            case Q2_K -> 16.5f;          // 4-bit scale x 2-bit quant
            case Q3_K -> 42f;            // (6-bit scale - 32) x 3-bit signed quant
            case Q4_K -> 325f;           // 6-bit scale x nibble
            case Q5_K -> 650f;           // 6-bit scale x 5 bits
            case Q6_K -> 1370f;          // int8 scale x (6 bits - 32)
            case IQ4_NL -> 67f;          // table level
            case IQ4_XS -> 1240f;        // (6-bit scale - 32) x table level
            default -> throw new IllegalArgumentException(type + " is not a block-quantized type");
        };
    }

    /** The min field relative to the scale that centres random quants. */
    private static float minPerScale(GgmlType type) {
        return switch (type) {
            case Q4_1 -> 7.5f;
            case Q5_1 -> 15.5f;
            case Q2_K -> 1.5f;
            case Q4_K -> 7.5f;
            case Q5_K -> 15.5f;
            default -> 0f;
        };
    }
}
