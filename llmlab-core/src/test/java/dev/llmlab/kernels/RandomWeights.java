package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.synth.RandomQuantBlocks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * Random but valid tensor data for kernel tests: finite values of every format, placed after a few
 * leading bytes so that no load is aligned. Quant blocks get random fp16 scales (any finite half,
 * subnormals included) and random quants (every byte value is valid).
 */
public final class RandomWeights {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private RandomWeights() {
    }

    /**
     * A segment holding {@code leadingBytes} of garbage then {@code values} values of {@code type}
     * (a multiple of its block size); on the heap or in {@code arena}'s native memory.
     */
    public static MemorySegment segment(GgmlType type, int values, int leadingBytes, Random random, Arena arena) {
        long size = leadingBytes + type.bytesFor(values);
        MemorySegment segment = arena == null ? MemorySegment.ofArray(new byte[(int) size]) : arena.allocate(size, 1);
        for (long i = 0; i < leadingBytes; i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
        }
        fill(type, segment, leadingBytes, values, random);
        return segment;
    }

    /** Writes {@code values} random finite values of {@code type} at {@code offset}. */
    public static void fill(GgmlType type, MemorySegment segment, long offset, int values, Random random) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < values; i++) {
                    segment.set(F32, offset + 4L * i, (float) random.nextGaussian());
                }
            }
            case F16 -> {
                for (int i = 0; i < values; i++) {
                    segment.set(I16, offset + 2L * i, finiteHalf(random));
                }
            }
            case BF16 -> {
                for (int i = 0; i < values; i++) {
                    // a float of moderate size (no overflow in products), truncated to its high half
                    float f = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(-20, 20)));
                    segment.set(I16, offset + 2L * i, (short) (Float.floatToRawIntBits(f) >>> 16));
                }
            }
            default -> {
                // every byte pattern is a valid quant, scale or min; only the fp16 fields must be finite
                int blockBytes = type.blockBytes();
                int[] halves = RandomQuantBlocks.halfFieldOffsets(type);
                for (int b = 0; b < values / type.blockSize(); b++) {
                    long block = offset + (long) blockBytes * b;
                    for (int j = 0; j < blockBytes; j++) {
                        segment.set(ValueLayout.JAVA_BYTE, block + j, (byte) random.nextInt());
                    }
                    for (int h : halves) {
                        segment.set(I16, block + h, finiteHalf(random));
                    }
                }
            }
        }
    }

    /** Any half-precision bit pattern except infinities and NaNs (exponent 31). */
    public static short finiteHalf(Random random) {
        while (true) {
            short h = (short) random.nextInt();
            if ((h & 0x7c00) != 0x7c00) {
                return h;
            }
        }
    }

    /** Gaussian activations. */
    public static float[] activations(int length, Random random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
