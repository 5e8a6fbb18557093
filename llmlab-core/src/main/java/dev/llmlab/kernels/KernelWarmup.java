package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Runs kernels on a small scratch matrix so the JIT compiles them before real work arrives. Vector API code is
 * many times slower until C2 compiles it (the interpreter and C1 box every vector), which made the first
 * prompt of a large model take about a second more; warming up while the weights load hides most of that.
 */
public final class KernelWarmup {
    private static final int ROWS = 64;
    private static final int COLS = 512;
    /** Enough for C2 to have compiled every kernel path; measured on TinyLlama-shaped models. */
    private static final int MAX_ROUNDS = 400;

    private KernelWarmup() {
    }

    /** Exercises {@code dot} and {@code dotRows} of each kernel for a fixed number of rounds, or until {@code keepGoing} turns false. */
    public static void run(Collection<RowKernel> kernels, BooleanSupplier keepGoing) {
        try (Arena arena = Arena.ofConfined()) {
            float[] xs = new float[8 * COLS];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (i % 7) * 0.01f;
            }
            float[] out = new float[8 * ROWS];
            for (int round = 0; round < MAX_ROUNDS && keepGoing.getAsBoolean(); round++) {
                for (RowKernel kernel : kernels) {
                    GgmlType type = kernel.type();
                    // zero bytes are valid for every format (all-zero scales and values)
                    MemorySegment data = arena.allocate(type.bytesFor((long) ROWS * COLS), 64);
                    long rowBytes = type.bytesFor(COLS);
                    for (int r = 0; r < ROWS; r++) {
                        out[r] += kernel.dot(data, r * rowBytes, xs, 0, COLS);
                    }
                    kernel.dotRows(data, COLS, 0, ROWS, xs, 1 + round % 8, out, ROWS);
                }
            }
        }
    }
}
