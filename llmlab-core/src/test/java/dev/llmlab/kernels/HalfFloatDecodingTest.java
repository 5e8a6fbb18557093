package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Every one of the 65536 half-precision and bfloat16 bit patterns decodes exactly like the reference. */
class HalfFloatDecodingTest {
    private static final int PATTERNS = 1 << 16;

    @Test
    void everyF16PatternDecodesLikeFloat16ToFloat() {
        checkAllPatterns(GgmlType.F16);
    }

    @Test
    void everyBf16PatternDecodesToTheHighHalfOfAFloat() {
        checkAllPatterns(GgmlType.BF16);
    }

    private static void checkAllPatterns(GgmlType type) {
        MemorySegment data = MemorySegment.ofArray(new byte[1 + 2 * PATTERNS]); // odd start: unaligned
        for (int h = 0; h < PATTERNS; h++) {
            data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 1 + 2L * h, (short) h);
        }
        float[] expected = new float[PATTERNS];
        float[] actual = new float[PATTERNS];
        ScalarKernels.decode(type, data, 1, expected, 0, PATTERNS);
        KernelRegistry.vector().forType(type, "t").dequantize(data, 1, actual, 0, PATTERNS);
        for (int h = 0; h < PATTERNS; h++) {
            if (Float.isNaN(expected[h])) {
                assertThat(actual[h]).as("pattern 0x%04x", h).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(actual[h])).as("pattern 0x%04x", h)
                        .isEqualTo(Float.floatToRawIntBits(expected[h]));
            }
        }
    }
}
