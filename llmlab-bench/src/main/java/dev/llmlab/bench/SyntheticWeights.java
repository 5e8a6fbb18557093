package dev.llmlab.bench;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.synth.RandomQuantBlocks;
import dev.llmlab.tensor.Matrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Random weights in allocated (not file-mapped) memory: the OS may page out idle mapped pages between
 * iterations, which would measure the disk rather than the kernel.
 */
final class SyntheticWeights {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private SyntheticWeights() {
    }

    /** A {@code rows x cols} matrix of {@code type} with random values, computed by {@code kernels}. */
    static Matrix matrix(GgmlType type, int rows, int cols, KernelRegistry kernels, Arena arena, long seed) {
        long bytes = type.bytesFor((long) rows * cols);
        MemorySegment data = arena.allocate(bytes, 64);
        fill(type, data, (long) rows * cols, new SplittableRandom(seed));
        return new Matrix("bench." + type, type, data, rows, cols, kernels.forType(type, "bench"));
    }

    /** Gaussian-ish activations. */
    static float[] activations(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static void fill(GgmlType type, MemorySegment data, long values, SplittableRandom random) {
        switch (type) {
            case F32 -> {
                for (long i = 0; i < values; i++) {
                    data.set(F32, 4 * i, weight(random));
                }
            }
            case F16 -> {
                for (long i = 0; i < values; i++) {
                    data.set(I16, 2 * i, Float.floatToFloat16(weight(random)));
                }
            }
            case BF16 -> {
                for (long i = 0; i < values; i++) {
                    data.set(I16, 2 * i, (short) (Float.floatToRawIntBits(weight(random)) >>> 16));
                }
            }
            default -> {
                if (!RandomQuantBlocks.supports(type)) {
                    throw new IllegalArgumentException("no synthetic weights for " + type);
                }
                RandomQuantBlocks.fill(type, data, 0, values / type.blockSize(), 0.02f, random);
            }
        }
    }

    private static float weight(SplittableRandom random) {
        return (float) (random.nextDouble() * 0.2 - 0.1);
    }
}
