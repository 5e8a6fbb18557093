package dev.llmlab.bench;

import dev.llmlab.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BenchStatsTest {

    @Test
    void meanAndSampleStandardDeviation() {
        BenchTest t = BenchTest.of("tg", 64, List.of(10.0, 12.0, 14.0));
        assertThat(t.name()).isEqualTo("tg64");
        assertThat(t.meanTokensPerSecond()).isCloseTo(12.0, within(1e-12));
        assertThat(t.stddevTokensPerSecond()).isCloseTo(2.0, within(1e-12)); // sqrt((4+0+4)/2)
    }

    @Test
    void oneRunHasNoSpread() {
        assertThat(BenchTest.of("pp", 8, List.of(5.0)).stddevTokensPerSecond()).isZero();
    }

    @Test
    void configNeedsSomethingToMeasure() {
        assertThatThrownBy(() -> BenchConfig.of(0, 0, 3)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nothing to measure");
        assertThatThrownBy(() -> BenchConfig.of(8, 8, 0)).hasMessageContaining("-r");
        assertThat(BenchConfig.of(128, 64, 3).contextNeeded()).isEqualTo(128);
        assertThat(BenchConfig.of(16, 64, 3).contextNeeded()).isEqualTo(65);
    }
}
