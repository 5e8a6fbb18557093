package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalDetector;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;

/**
 * Standard input as the CLI sees it, decided once at startup.
 *
 * @param stream   where lines come from
 * @param terminal a person types at a terminal (line editing applies), rather than a pipe or a file
 */
record CliInput(InputStream stream, boolean terminal) {

    /** No input at all (commands that read nothing). */
    static CliInput none() {
        return new CliInput(new ByteArrayInputStream(new byte[0]), false);
    }

    static CliInput system(Map<String, String> env) {
        return new CliInput(System.in, new TerminalDetector(env).stdinIsTerminal());
    }
}
