package dev.llmlab.quant;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodersTest {

    static Set<GgmlType> types() {
        return Encoders.supportedTypes();
    }

    @Test
    void encodesEveryTypeTheIssueAsksFor() {
        assertThat(Encoders.supportedTypes()).containsExactlyInAnyOrder(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
                GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K,
                GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.IQ4_XS);
    }

    /** Degenerate blocks (all zero, constant, one spike, tiny) must encode without error and deterministically. */
    @ParameterizedTest
    @MethodSource("types")
    void degenerateBlocksEncodeDeterministically(GgmlType type) {
        int n = 512;
        float[][] inputs = {new float[n], constant(n, 0.25f), constant(n, -3f), spike(n), constant(n, 1e-20f)};
        for (float[] x : inputs) {
            byte[] a = new byte[(int) type.bytesFor(n)];
            byte[] b = new byte[a.length];
            Arrays.fill(b, (byte) 0x5A); // stale bytes in the target must not leak into the result
            Encoders.encode(type, x, 0, n, a, 0);
            Encoders.encode(type, x, 0, n, b, 0);
            assertThat(b).as("%s of %s", type, x[0]).isEqualTo(a);
        }
    }

    @Test
    void refusesPartialBlocksAndUnknownTypes() {
        assertThatThrownBy(() -> Encoders.encode(GgmlType.Q4_K, new float[64], 0, 64, new byte[1024], 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a whole number of Q4_K blocks");
        assertThatThrownBy(() -> Encoders.forType(GgmlType.IQ2_XXS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("supported");
    }

    @Property(tries = 20)
    void bf16RoundsToNearestEven(@ForAll @IntRange(min = 0, max = 0xFFFF) int high) {
        float halfway = Float.intBitsToFloat((high << 16) | 0x8000);
        short rounded = FloatEncoding.toBfloat16(halfway);
        if (Float.isNaN(halfway)) {
            assertThat(Float.isNaN(Float.intBitsToFloat(rounded << 16))).isTrue();
        } else {
            int expected = (high & 1) == 0 ? high : high + 1;
            assertThat(rounded & 0xFFFF).isEqualTo(expected & 0xFFFF);
        }
    }

    @Property(tries = 200)
    void nearestIntRoundsHalfToEven(@ForAll @IntRange(min = -4_000_000, max = 4_000_000) int twice) {
        float f = twice / 2f;
        assertThat(KQuantSearch.nearestInt(f)).isEqualTo((int) Math.rint(f));
    }

    private static float[] constant(int n, float v) {
        float[] x = new float[n];
        Arrays.fill(x, v);
        return x;
    }

    private static float[] spike(int n) {
        float[] x = new float[n];
        x[37] = 100f;
        x[300] = -0.5f;
        return x;
    }
}
