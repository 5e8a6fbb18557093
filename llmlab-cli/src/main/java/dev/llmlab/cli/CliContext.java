package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.experiment.ExperimentRegistry;

import java.io.PrintStream;

/**
 * What every command works with: the environment, the input and output streams, the experiments, and the
 * global options (parsed into {@code root} before a subcommand runs).
 */
record CliContext(CliEnvironment env, CliInput in, PrintStream out, PrintStream err, ExperimentRegistry experiments,
                  LlmlabCommand root) {

    /** Standard output's capabilities, with {@code --no-color} applied. */
    TerminalCapabilities stdout() {
        return root.noColor() ? env.stdout().withoutAnsi() : env.stdout();
    }

    /** Standard error's capabilities, with {@code --no-color} applied. */
    TerminalCapabilities stderr() {
        return root.noColor() ? env.stderr().withoutAnsi() : env.stderr();
    }
}
