package dev.llmlab.kernels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VectorOpsTest {
    private final VectorOps vector = VectorOps.vector();

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Property(tries = 300)
    void dotMatchesTheScalarReference(@ForAll @IntRange(max = 300) int n, @ForAll @IntRange(max = 17) int aOffset,
                                      @ForAll @IntRange(max = 17) int bOffset, @ForAll long seed) {
        Random r = new Random(seed);
        float[] a = random(r, aOffset + n);
        float[] b = random(r, bOffset + n);
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            magnitude += Math.abs(a[aOffset + i] * b[bOffset + i]);
        }
        float expected = VectorOps.SCALAR.dot(a, aOffset, b, bOffset, n);
        assertThat(vector.dot(a, aOffset, b, bOffset, n)).isCloseTo(expected, within((float) (1e-5 * magnitude + 1e-30)));
    }

    @Property(tries = 300)
    void axpyMatchesTheScalarReference(@ForAll @IntRange(max = 300) int n, @ForAll @IntRange(max = 17) int xOffset,
                                       @ForAll @IntRange(max = 17) int yOffset, @ForAll long seed) {
        Random r = new Random(seed);
        float alpha = (float) r.nextGaussian();
        float[] x = random(r, xOffset + n);
        float[] y = random(r, yOffset + n + 3);
        float[] expected = y.clone();
        VectorOps.SCALAR.axpy(alpha, x, xOffset, expected, yOffset, n);
        float[] actual = y.clone();
        vector.axpy(alpha, x, xOffset, actual, yOffset, n);
        for (int i = 0; i < y.length; i++) {
            // fma rounds once where the reference rounds the product too: they differ by up to an ulp of the
            // operands, which under cancellation is many ulps of the result, so bound by the operands
            int xi = xOffset + i - yOffset;
            float product = xi >= xOffset && xi < xOffset + n ? Math.abs(alpha * x[xi]) : 0f;
            float tolerance = 1e-6f * (product + Math.abs(y[i])) + 1e-30f;
            assertThat(actual[i]).as("y[%d]", i).isCloseTo(expected[i], within(tolerance));
        }
    }
}
