package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every vector kernel against the scalar reference: random data, every length (ragged tails for the float
 * formats, any block count for the quantized ones), unaligned data at nonzero offsets, heap and native
 * memory.
 * <p>
 * Tolerance of a dot product: {@code |vector - reference| <= 1e-5 * sum_i |w_i x_i|} (+1e-30 for sums that
 * underflow). Both sum the same exact products in float but in a different order; the worst case of float
 * summation is about {@code n * 2^-24} relative to that sum (1.2e-4 at n = 2000), the typical error is far
 * smaller (about {@code sqrt(n) * 2^-24}, 3e-6 at n = 2000); 1e-5 catches any wrong element or block while
 * leaving room for rounding. Decoding has no rounding: dequantize must equal the reference bit for bit.
 */
class VectorKernelsPropertiesTest {
    static final List<GgmlType> TYPES = List.copyOf(KernelRegistry.vector().supportedTypes());
    static final double RELATIVE_TOLERANCE = 1e-5;
    static final double ABSOLUTE_SLACK = 1e-30;

    private final KernelRegistry vector = KernelRegistry.vector();

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(TYPES);
    }

    @Property(tries = 1000)
    void dotMatchesReference(@ForAll("types") GgmlType type,
                             @ForAll @IntRange(max = 3000) int length,
                             @ForAll @IntRange(max = 3) int leadingValues,
                             @ForAll @IntRange(max = 7) int misalignBytes,
                             @ForAll @IntRange(max = 9) int xOffset,
                             @ForAll boolean nativeMemory,
                             @ForAll long seed) {
        checkDot(type, roundToBlock(type, length), leadingValues, misalignBytes, xOffset, nativeMemory, seed);
    }

    @Example
    void dotMatchesReferenceForEveryShortLength() {
        for (GgmlType type : TYPES) {
            int step = type.blockSize();
            for (int count = 0; count <= 64 * step; count += step) {
                checkDot(type, count, 1, 3, 5, count % 2 == 0, count);
            }
        }
    }

    @Property(tries = 500)
    void dequantizeEqualsReferenceExactly(@ForAll("types") GgmlType type,
                                          @ForAll @IntRange(max = 2000) int length,
                                          @ForAll @IntRange(max = 3) int leadingValues,
                                          @ForAll @IntRange(max = 7) int misalignBytes,
                                          @ForAll @IntRange(max = 9) int outOffset,
                                          @ForAll boolean nativeMemory,
                                          @ForAll long seed) {
        int count = roundToBlock(type, length);
        Random random = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            long offset = misalignBytes + type.bytesFor((long) leadingValues * type.blockSize());
            MemorySegment data = RandomWeights.segment(type, count + leadingValues * type.blockSize(),
                    misalignBytes, random, nativeMemory ? arena : null);
            float[] expected = new float[outOffset + count + 3];
            float[] actual = new float[outOffset + count + 3];
            Arrays.fill(expected, -7f);
            Arrays.fill(actual, -7f);
            ScalarKernels.decode(type, data, offset, expected, outOffset, count);
            vector.forType(type, "t").dequantize(data, offset, actual, outOffset, count);
            assertThat(actual).as("%s x %d", type, count).containsExactly(expected);
        }
    }

    @Property(tries = 300)
    void batchedDotsMatchReference(@ForAll("types") GgmlType type,
                                   @ForAll @IntRange(min = 1, max = 13) int rows,
                                   @ForAll @IntRange(min = 1, max = 300) int length,
                                   @ForAll @IntRange(min = 1, max = 11) int batch,
                                   @ForAll @IntRange(max = 12) int firstRow,
                                   @ForAll @IntRange(max = 3) int extraStride,
                                   @ForAll long seed) {
        int cols = Math.max(type.blockSize(), roundToBlock(type, length));
        int totalRows = firstRow + rows;
        int rowEnd = totalRows;
        int outStride = totalRows + extraStride;
        Random random = new Random(seed);
        MemorySegment data = RandomWeights.segment(type, totalRows * cols, 0, random, null);
        float[] xs = RandomWeights.activations(batch * cols, random);
        float[] out = new float[batch * outStride];
        Arrays.fill(out, Float.NaN);

        vector.forType(type, "t").dotRows(data, cols, firstRow, rowEnd, xs, batch, out, outStride);

        RowKernel reference = ScalarKernels.of(type);
        long rowBytes = type.bytesFor(cols);
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < outStride; r++) {
                float actual = out[b * outStride + r];
                if (r < firstRow || r >= rowEnd) {
                    assertThat(actual).as("row %d outside the range was written", r).isNaN();
                } else {
                    float expected = reference.dot(data, r * rowBytes, xs, b * cols, cols);
                    double bound = tolerance(type, data, r * rowBytes, xs, b * cols, cols);
                    assertThat((double) actual).as("%s row %d vector %d of %dx%d", type, r, b, rows, cols)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(bound));
                }
            }
        }
    }

    /**
     * Generation's per-matVec path (K-quants: sums of x shared by all rows) against the reference dot.
     */
    @Property(tries = 300)
    void matVecRowsMatchReference(@ForAll("types") GgmlType type,
                                  @ForAll @IntRange(min = 1, max = 13) int rows,
                                  @ForAll @IntRange(min = 1, max = 6000) int length,
                                  @ForAll @IntRange(max = 12) int firstRow,
                                  @ForAll @IntRange(max = 9) int xOffset,
                                  @ForAll @IntRange(max = 5) int outOffset,
                                  @ForAll long seed) {
        int cols = Math.max(type.blockSize(), roundToBlock(type, length));
        int rowEnd = firstRow + rows;
        Random random = new Random(seed);
        MemorySegment data = RandomWeights.segment(type, rowEnd * cols, 0, random, null);
        float[] x = RandomWeights.activations(xOffset + cols + 2, random);
        float[] out = new float[outOffset + rowEnd + 2];
        Arrays.fill(out, Float.NaN);

        vector.forType(type, "t").matVecRows(data, cols, firstRow, rowEnd, x, xOffset, out, outOffset);

        RowKernel reference = ScalarKernels.of(type);
        long rowBytes = type.bytesFor(cols);
        for (int i = 0; i < out.length; i++) {
            int r = i - outOffset;
            if (r < firstRow || r >= rowEnd) {
                assertThat(out[i]).as("output %d outside the rows was written", i).isNaN();
            } else {
                float expected = reference.dot(data, r * rowBytes, x, xOffset, cols);
                double bound = tolerance(type, data, r * rowBytes, x, xOffset, cols);
                assertThat((double) out[i]).as("%s row %d of %dx%d", type, r, rows, cols)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(bound));
            }
        }
    }

    private void checkDot(GgmlType type, int count, int leadingValues, int misalignBytes, int xOffset,
                          boolean nativeMemory, long seed) {
        Random random = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            long offset = misalignBytes + type.bytesFor((long) leadingValues * type.blockSize());
            MemorySegment data = RandomWeights.segment(type, count + leadingValues * type.blockSize(),
                    misalignBytes, random, nativeMemory ? arena : null);
            float[] x = RandomWeights.activations(xOffset + count + 2, random);

            float expected = ScalarKernels.of(type).dot(data, offset, x, xOffset, count);
            float actual = vector.forType(type, "t").dot(data, offset, x, xOffset, count);

            double bound = tolerance(type, data, offset, x, xOffset, count);
            assertThat(Math.abs((double) actual - expected))
                    .as("%s dot of %d values: vector %s, reference %s", type, count, actual, expected)
                    .isLessThanOrEqualTo(bound);
        }
    }

    /** {@code 1e-5 * sum |w_i x_i|} plus slack for underflow. */
    static double tolerance(GgmlType type, MemorySegment data, long offset, float[] x, int xOffset, int count) {
        float[] w = new float[count];
        ScalarKernels.decode(type, data, offset, w, 0, count);
        double sumAbs = 0;
        for (int i = 0; i < count; i++) {
            sumAbs += Math.abs((double) w[i] * x[xOffset + i]);
        }
        return RELATIVE_TOLERANCE * sumAbs + ABSOLUTE_SLACK;
    }

    static int roundToBlock(GgmlType type, int length) {
        return length / type.blockSize() * type.blockSize();
    }
}
