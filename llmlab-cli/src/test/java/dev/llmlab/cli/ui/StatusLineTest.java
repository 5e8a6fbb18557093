package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    @Test
    void plainStatusShowsProgressRateAndElapsedTime() {
        String line = new StatusLine(42, 200, 85.25, Duration.ofMillis(1200), false).render(new Ansi(false));
        assertThat(line).contains(" 42/200 tokens · 85.3 t/s · 1.20 s  ━━━━ ")
                .endsWith(" 21%")
                .doesNotContain("\u001b");
    }

    @Test
    void finishedStatusIsCheckedAndFull() {
        String line = new StatusLine(200, 200, 456.7, Duration.ofMillis(450), true).render(new Ansi(true));
        assertThat(line).contains("\u001b[32m✔").contains("100%");
        assertThat(Ansi.strip(line)).contains("━".repeat(20));
    }

    @Test
    void barHasHalfCellsInAnsi() {
        String line = new StatusLine(15, 200, 0, Duration.ZERO, false).render(new Ansi(true));
        assertThat(Ansi.strip(line)).contains("━╸").contains("– · ");
    }
}
