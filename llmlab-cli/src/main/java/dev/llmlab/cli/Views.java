package dev.llmlab.cli;

import dev.llmlab.cli.ui.GenerationView;
import dev.llmlab.cli.ui.JsonLinesView;
import dev.llmlab.cli.ui.LiveGenerationView;
import dev.llmlab.cli.ui.PlainGenerationView;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.generate.Ticker;

/** Picks how generations are shown, from the flags and what stdout is. */
final class Views {
    private Views() {
    }

    /** For {@code run}: JSON lines, the live panel on a colour terminal, else a plain-text report. */
    static GenerationView forReport(CliContext context, boolean json) {
        TerminalCapabilities stdout = context.stdout();
        if (json) {
            return new JsonLinesView(context.out());
        }
        if (stdout.ansi()) {
            return new LiveGenerationView(context.out(), stdout, Ticker.system());
        }
        return PlainGenerationView.report(context.out());
    }

    /**
     * For {@code generate}: like {@link #forReport} on a terminal, but when stdout is a pipe or a file it
     * receives only the generated text and everything else goes to stderr.
     */
    static GenerationView forScript(CliContext context, boolean json) {
        if (!json && !context.stdout().interactive()) {
            return PlainGenerationView.textOnly(context.out(), context.err());
        }
        return forReport(context, json);
    }
}
