package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void alignsColumnsUnderABoldHeader() {
        Table table = new Table(List.of("#", "Name", "Description"))
                .add(List.of("1", "basic-generation", "Stream a story"))
                .add(List.of("12", "x", "y"));
        assertThat(table.render(new Ansi(false))).containsExactly(
                "#   Name              Description",
                "──  ────────────────  ──────────────",
                "1   basic-generation  Stream a story",
                "12  x                 y");
        assertThat(table.render(new Ansi(true)).getFirst()).startsWith("\u001b[1m#");
    }
}
