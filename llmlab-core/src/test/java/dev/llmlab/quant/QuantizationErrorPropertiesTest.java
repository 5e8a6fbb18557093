package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.ScalarKernels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encode with the quantizer, decode with the scalar reference decoders: every value lands within one step of the
 * format's grid, taken at the largest magnitude of its block (32 values) or super-block (256 values). Measured
 * worst cases on Gaussian, uniform, heavy-tailed and outlier data (3000 rows each) are in the comments.
 */
class QuantizationErrorPropertiesTest {
    /** Bound on |decoded - x| / (largest |x| of the block). */
    private static final Map<GgmlType, Double> BOUNDS = Map.ofEntries(
            Map.entry(GgmlType.Q8_0, 0.6 / 127),     // half a step of 1/127 (+ fp16 scale); measured 0.0043
            Map.entry(GgmlType.Q4_0, 1.02 / 8),      // one step of 1/8 (the side opposite the max clamps); 0.1252
            Map.entry(GgmlType.Q5_0, 1.02 / 16),     // one step of 1/16; 0.0627
            Map.entry(GgmlType.Q4_1, 1.05 / 15),     // half a step of (max - min) / 15 <= 2/15; 0.0672
            Map.entry(GgmlType.Q5_1, 1.05 / 31),     // half a step of 2/31; 0.0330
            Map.entry(GgmlType.Q2_K, 2.0 / 3),       // one step of (max - min) / 3 <= 2/3; 0.537
            Map.entry(GgmlType.Q3_K, 0.28),          // one step of 1/4, plus the 6-bit sub-block scales; 0.2505
            Map.entry(GgmlType.Q4_K, 2.0 / 15),      // one step of 2/15; 0.113
            Map.entry(GgmlType.Q5_K, 2.0 / 31),      // one step of 2/31; 0.0565
            Map.entry(GgmlType.Q6_K, 1.0 / 32),      // one step of 1/32; 0.0189
            Map.entry(GgmlType.IQ4_NL, 0.16),        // the widest gap between IQ4 levels, 24/127, ~ scale search; 0.1385
            Map.entry(GgmlType.IQ4_XS, 0.16));       // as IQ4_NL with 6-bit block scales; 0.1346

    @Property(tries = 300)
    void decodedValuesStayWithinOneStep(@ForAll("quantTypes") GgmlType type, @ForAll("rows") float[] x) {
        byte[] bytes = new byte[(int) type.bytesFor(x.length)];
        Encoders.encode(type, x, 0, x.length, bytes, 0);
        float[] y = new float[x.length];
        ScalarKernels.decode(type, MemorySegment.ofArray(bytes), 0, y, 0, x.length);
        int block = type.blockSize();
        double bound = BOUNDS.get(type);
        for (int from = 0; from < x.length; from += block) {
            double amax = 0;
            for (int i = from; i < from + block; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
            }
            for (int i = from; i < from + block; i++) {
                // 1e-30: all-zero blocks decode to exactly 0; values far below the fp16 range round to 0
                assertThat(Math.abs(y[i] - x[i])).as("%s value %d of %s", type, i, amax)
                        .isLessThanOrEqualTo((float) (bound * amax + 1e-6 * amax + 1e-30));
            }
        }
    }

    @Provide
    Arbitrary<GgmlType> quantTypes() {
        return Arbitraries.of(BOUNDS.keySet());
    }

    /** One or two super-blocks of values from one of several shapes: near zero, unit, wide, with outliers. */
    @Provide
    Arbitrary<float[]> rows() {
        Arbitrary<Float> values = Arbitraries.oneOf(
                Arbitraries.floats().between(-1f, 1f),
                Arbitraries.floats().between(-0.02f, 0.02f),
                Arbitraries.floats().between(-50f, 50f),
                Arbitraries.of(0f, 1e-3f, -1e-3f, 8f, -8f));
        return Arbitraries.integers().between(1, 2).flatMap(n -> values.array(float[].class).ofSize(256 * n));
    }
}
