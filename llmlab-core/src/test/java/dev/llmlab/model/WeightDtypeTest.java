package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightDtypeTest {

    @Test
    void autoQuantizesLargeCheckpointsAndSaysWhy() {
        WeightPlan large = WeightDtype.AUTO.plan(1_100_048_384L, true, "BF16");
        assertThat(large.matrixType()).isEqualTo(GgmlType.Q8_0);
        assertThat(large.reason()).isEqualTo("Q8_0 (auto: 1.1B parameters > 1B; --dtype to override)");
        WeightPlan small = WeightDtype.AUTO.plan(124_000_000L, true, "F32");
        assertThat(small.matrixType()).isNull();
        assertThat(small.reason()).isEqualTo("F32 as stored (auto: 124M parameters <= 1B)");
        assertThat(WeightDtype.AUTO.plan(1_000_000_000L, true, "F16").matrixType()).isNull();
    }

    @Test
    void ggufFilesKeepTheirTypesUnlessAsked() {
        assertThat(WeightDtype.AUTO.plan(7_000_000_000L, false, "Q4_0").matrixType()).isNull();
        WeightPlan asked = WeightDtype.Q4_0.plan(7_000_000_000L, false, "Q8_0");
        assertThat(asked.matrixType()).isEqualTo(GgmlType.Q4_0);
        assertThat(asked.reason()).isEqualTo("Q4_0 (--dtype q4_0)");
        assertThat(WeightDtype.F16.plan(2_000_000_000L, true, "BF16").matrixType()).isEqualTo(GgmlType.F16);
    }

    @Test
    void parsesAnyCaseAndRefusesOthers() {
        assertThat(WeightDtype.parse("Q8_0")).isEqualTo(WeightDtype.Q8_0);
        assertThat(WeightDtype.parse("bf16")).isEqualTo(WeightDtype.BF16);
        assertThatThrownBy(() -> WeightDtype.parse("q5_k")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("auto, f32, f16, bf16, q8_0, q4_0");
    }
}
