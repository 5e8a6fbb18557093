package dev.llmlab.tensor;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.RandomWeights;
import dev.llmlab.kernels.ScalarKernels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matrix products (vector and scalar kernels, 1 and 2 threads) against a naive loop over decoded rows in
 * double precision. Tolerance {@code 1e-5 * sum_i |w_i x_i|} per output (see VectorKernelsPropertiesTest).
 * Sizes are large enough that the pool really shares the work.
 */
class MatrixTest {
    private static ComputePool onePool;
    private static ComputePool twoPool;

    @BeforeContainer
    static void startPools() {
        onePool = ComputePool.ofThreads(1);
        twoPool = ComputePool.ofThreads(2);
    }

    @AfterContainer
    static void closePools() {
        onePool.close();
        twoPool.close();
    }

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0);
    }

    @Provide
    Arbitrary<KernelRegistry> registries() {
        return Arbitraries.of(KernelRegistry.best(), KernelRegistry.scalar());
    }

    @Property(tries = 60)
    void matVecMatchesNaiveLoop(@ForAll("types") GgmlType type, @ForAll("registries") KernelRegistry kernels,
                                @ForAll @IntRange(min = 1, max = 200) int rows,
                                @ForAll @IntRange(min = 1, max = 40) int blocks,
                                @ForAll boolean twoThreads, @ForAll long seed) {
        Random random = new Random(seed);
        int cols = blocks * 32 + (type.blockSize() == 1 ? random.nextInt(32) : 0);
        Matrix m = randomMatrix(type, kernels, rows, cols, random);
        float[] x = RandomWeights.activations(cols + 3, random);
        float[] out = new float[rows + 5];

        m.matVec(x, 3, out, 5, twoThreads ? twoPool : onePool);

        float[] expected = new float[rows];
        double[] bound = new double[rows];
        naive(m, x, 3, expected, bound);
        for (int r = 0; r < rows; r++) {
            assertThat(Math.abs((double) out[5 + r] - expected[r])).as("row %d", r).isLessThanOrEqualTo(bound[r]);
        }
    }

    @Property(tries = 60)
    void matMulMatchesNaiveLoop(@ForAll("types") GgmlType type, @ForAll("registries") KernelRegistry kernels,
                                @ForAll @IntRange(min = 1, max = 150) int rows,
                                @ForAll @IntRange(min = 1, max = 20) int blocks,
                                @ForAll @IntRange(min = 1, max = 13) int batch,
                                @ForAll boolean twoThreads, @ForAll long seed) {
        Random random = new Random(seed);
        int cols = blocks * 32 + (type.blockSize() == 1 ? random.nextInt(32) : 0);
        Matrix m = randomMatrix(type, kernels, rows, cols, random);
        float[] xs = RandomWeights.activations(batch * cols, random);
        float[] out = new float[batch * rows];

        m.matMul(xs, batch, out, twoThreads ? twoPool : onePool);

        float[] expected = new float[rows];
        double[] bound = new double[rows];
        for (int b = 0; b < batch; b++) {
            naive(m, xs, b * cols, expected, bound);
            for (int r = 0; r < rows; r++) {
                assertThat(Math.abs((double) out[b * rows + r] - expected[r])).as("vector %d row %d", b, r)
                        .isLessThanOrEqualTo(bound[r]);
            }
        }
    }

    private static Matrix randomMatrix(GgmlType type, KernelRegistry kernels, int rows, int cols, Random random) {
        MemorySegment data = RandomWeights.segment(type, rows * cols, 0, random, null);
        return new Matrix("m", type, data, rows, cols, kernels.forType(type, "m"));
    }

    /** Decodes each row with the reference decoder and sums in double. */
    private static void naive(Matrix m, float[] x, int xOffset, float[] out, double[] bound) {
        float[] row = new float[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            ScalarKernels.decode(m.type(), m.data(), r * m.rowBytes(), row, 0, m.cols());
            double sum = 0;
            double sumAbs = 0;
            for (int i = 0; i < m.cols(); i++) {
                double p = (double) row[i] * x[xOffset + i];
                sum += p;
                sumAbs += Math.abs(p);
            }
            out[r] = (float) sum;
            bound[r] = 1e-5 * sumAbs + 1e-30;
        }
    }
}
