package dev.llmlab.cli.ui;

/** The SGR styles the UI uses. */
public enum Style {
    BOLD("1"),
    DIM("2"),
    RED("31"),
    GREEN("32"),
    YELLOW("33"),
    BLUE("34"),
    MAGENTA("35"),
    CYAN("36"),
    BRIGHT_BLACK("90");

    private final String sgr;

    Style(String sgr) {
        this.sgr = sgr;
    }

    String sgr() {
        return sgr;
    }
}
