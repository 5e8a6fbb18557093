package dev.llmlab.cli;

import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.error.LlmlabException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns a failure inside a command into one clear line on stderr and exit code 1; the stack trace only with
 * {@code --verbose}. Expected failures (llmlab's own, I/O) print their message; anything else is a bug and
 * says what kind of exception it was.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    static final int RUNTIME_FAILURE = 1;

    private final CliContext context;

    FailureHandler(CliContext context) {
        this.context = context;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Ansi ansi = new Ansi(context.stderr().ansi());
        boolean expected = ex instanceof LlmlabException || ex instanceof UncheckedIOException;
        String message = expected ? ex.getMessage() : ex.getClass().getName() + ": " + ex.getMessage();
        err.println(ansi.style("error:", Style.RED, Style.BOLD) + " " + message);
        if (context.root().verbose()) {
            ex.printStackTrace(err);
        } else if (!expected) {
            err.println("this looks like a bug in llmlab; run again with --verbose for the stack trace");
        }
        err.flush();
        return RUNTIME_FAILURE;
    }
}
