package dev.llmlab.cli.ui;

import dev.llmlab.generate.FinishReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HumanUnitsTest {

    @Test
    void formatsSizesCountsDurationsAndRates() {
        assertThat(HumanUnits.bytes(999)).isEqualTo("999 B");
        assertThat(HumanUnits.bytes(1_185_376)).isEqualTo("1.2 MB");
        assertThat(HumanUnits.bytes(4_400_000_000L)).isEqualTo("4.4 GB");
        assertThat(HumanUnits.count(292_928)).isEqualTo("293K");
        assertThat(HumanUnits.count(1_100_048_384L)).isEqualTo("1.1B");
        assertThat(HumanUnits.count(2_000_000)).isEqualTo("2M");
        assertThat(HumanUnits.duration(Duration.ofNanos(850_000))).isEqualTo("850 µs");
        assertThat(HumanUnits.duration(Duration.ofMillis(12))).isEqualTo("12 ms");
        assertThat(HumanUnits.duration(Duration.ofMillis(1234))).isEqualTo("1.23 s");
        assertThat(HumanUnits.duration(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(HumanUnits.rate(456.66)).isEqualTo("456.7 t/s");
        assertThat(HumanUnits.rate(0)).isEqualTo("–");
        assertThat(HumanUnits.enumName(FinishReason.MAX_TOKENS)).isEqualTo("max tokens");
    }
}
