package dev.llmlab.synth;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.ScalarKernels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Encoding then decoding with the scalar reference stays within each format's error bound. */
class WeightEncoderTest {

    @Property(tries = 300)
    void floatFormatsRoundTripWithinTheirPrecision(@ForAll("values") float[] x) {
        assertThat(roundTrip(GgmlType.F32, x)).containsExactly(x);
        float[] f16 = roundTrip(GgmlType.F16, x);
        float[] bf16 = roundTrip(GgmlType.BF16, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(f16[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(x[i])));
            assertThat(Math.abs(bf16[i] - x[i])).isLessThanOrEqualTo(Math.abs(x[i]) / 256 + Float.MIN_NORMAL);
        }
    }

    @Property(tries = 300)
    void q8_0ErrorIsAtMostHalfAStepPerBlock(@ForAll("values") float[] x) {
        float[] y = roundTrip(GgmlType.Q8_0, x);
        for (int b = 0; b < x.length / 32; b++) {
            float d = maxAbs(x, b) / 127f;
            for (int j = b * 32; j < b * 32 + 32; j++) {
                // half a step, plus the fp16 rounding of the scale (absolute once subnormal) over up to 127 steps
                assertThat(Math.abs(y[j] - x[j])).as("element %d", j).isLessThanOrEqualTo(d * 0.57f + 4e-6f);
            }
        }
    }

    @Property(tries = 300)
    void q4_0ErrorIsAtMostOneStepPerBlock(@ForAll("values") float[] x) {
        float[] y = roundTrip(GgmlType.Q4_0, x);
        for (int b = 0; b < x.length / 32; b++) {
            float d = maxAbs(x, b) / 8f;
            for (int j = b * 32; j < b * 32 + 32; j++) {
                // the largest magnitude maps to -8 exactly; its opposite clamps at +7: one full step
                assertThat(Math.abs(y[j] - x[j])).as("element %d", j).isLessThanOrEqualTo(d * 1.01f + 1e-6f);
            }
        }
    }

    @Property(tries = 50)
    void q4_0KeepsTheLargestMagnitudeExactlyUpToTheScaleRounding(@ForAll @IntRange(min = 0, max = 31) int at,
                                                                 @ForAll("values") float[] x) {
        float[] block = Arrays.copyOf(x, 32);
        block[at] = 5f * (at % 2 == 0 ? 1 : -1); // dominant
        float[] y = roundTrip(GgmlType.Q4_0, block);
        assertThat(y[at]).isCloseTo(block[at], within(5f / 1024));
    }

    @Provide
    Arbitrary<float[]> values() {
        Arbitrary<Float> v = Arbitraries.oneOf(Arbitraries.floats().between(-1f, 1f),
                Arbitraries.floats().between(-0.05f, 0.05f), Arbitraries.of(0f, -0f, 1e-30f, 3f, -3f));
        return Arbitraries.integers().between(1, 4).flatMap(blocks -> v.array(float[].class).ofSize(blocks * 32));
    }

    private static float[] roundTrip(GgmlType type, float[] x) {
        byte[] bytes = new byte[(int) type.bytesFor(x.length)];
        assertThat(WeightEncoder.encode(type, x, 0, x.length, bytes, 0)).isEqualTo(bytes.length);
        float[] y = new float[x.length];
        ScalarKernels.decode(type, MemorySegment.ofArray(bytes), 0, y, 0, x.length);
        return y;
    }

    private static float maxAbs(float[] x, int block) {
        float m = 0;
        for (int j = block * 32; j < block * 32 + 32; j++) {
            m = Math.max(m, Math.abs(x[j]));
        }
        return m;
    }
}
