package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PanelTest {

    @Test
    void plainPanelHasRoundedBordersAndACentredTitle() {
        List<String> lines = new Panel("Prompt", Style.CYAN, 20, new Ansi(false)).render("Once upon a time");
        assertThat(lines).containsExactly(
                "╭───── Prompt ─────╮",
                "│ Once upon a time │",
                "╰──────────────────╯");
    }

    @Test
    void everyLineHasTheFullWidth() {
        List<String> lines = new Panel("Output", Style.GREEN, 16, new Ansi(true))
                .render("a story that needs several lines");
        assertThat(lines).hasSizeGreaterThan(3)
                .allSatisfy(l -> assertThat(TextWrap.length(Ansi.strip(l))).isEqualTo(16));
    }

    @Test
    void ansiPanelColoursBorderTitleAndText() {
        List<String> lines = new Panel("Prompt", Style.CYAN, 20, new Ansi(true)).render("hi", Style.CYAN);
        assertThat(lines.get(0)).contains("\u001b[36m╭").contains("\u001b[36;1m Prompt ");
        assertThat(lines.get(1)).contains("\u001b[36mhi\u001b[0m");
        assertThat(Ansi.strip(lines.get(1))).isEqualTo("│ hi               │");
    }
}
