package dev.llmlab.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StopStringMatcherTest {
    private final StopStringMatcher m = new StopStringMatcher(List.of("\n\n", "THE END"));

    @Test
    void holdsBackPossibleStopPrefixes() {
        assertThat(m.safeLength("hello")).isEqualTo(5);
        assertThat(m.safeLength("hello\n")).isEqualTo(5);
        assertThat(m.safeLength("and THE E")).isEqualTo(4);
        assertThat(m.safeLength("THEM")).isEqualTo(4);
    }

    @Test
    void findsTheEarliestStop() {
        assertThat(m.find("a THE END b\n\n", 0)).isEqualTo(2);
        assertThat(m.find("no stop here", 0)).isEqualTo(-1);
        assertThat(new StopStringMatcher(List.of()).safeLength("abc")).isEqualTo(3);
    }
}
