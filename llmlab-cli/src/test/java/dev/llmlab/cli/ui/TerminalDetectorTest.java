package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalDetectorTest {

    @Test
    void noColorAndDumbTerminalsTurnEscapesOff() {
        assertThat(new TerminalDetector(Map.of()).colorAllowed()).isTrue();
        assertThat(new TerminalDetector(Map.of("NO_COLOR", "1")).colorAllowed()).isFalse();
        assertThat(new TerminalDetector(Map.of("NO_COLOR", "")).colorAllowed()).isTrue();
        assertThat(new TerminalDetector(Map.of("TERM", "dumb")).colorAllowed()).isFalse();
    }

    @Test
    void testOutputIsNotATerminal() {
        // surefire redirects the test JVM's stdout to a file
        TerminalCapabilities caps = new TerminalDetector(Map.of("COLUMNS", "132")).stdout();
        assertThat(caps.interactive()).isFalse();
        assertThat(caps.ansi()).isFalse();
        assertThat(caps.width()).isEqualTo(132);
    }
}
