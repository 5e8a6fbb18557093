package dev.llmlab.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where {@code chat} reads the user's lines: a terminal with line editing, or plain lines from a pipe. */
sealed interface ChatInput extends AutoCloseable {

    /** The next line, or null at the end of input (Ctrl-D, end of the pipe). */
    String readLine(String prompt);

    @Override
    void close();

    /** Plain lines (UTF-8), no prompt shown: input from a pipe or a file. */
    static ChatInput lines(CliInput in) {
        return new Lines(new BufferedReader(new InputStreamReader(in.stream(), StandardCharsets.UTF_8)));
    }

    /** JLine on the system terminal: editing, history (up/down), Ctrl-C clears the line, Ctrl-D ends. */
    static ChatInput terminal() {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("llmlab").build();
            return new Editor(terminal, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal for line editing: " + e.getMessage(), e);
        }
    }

    record Lines(BufferedReader reader) implements ChatInput {
        @Override
        public String readLine(String prompt) {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            // standard input is not ours to close
        }
    }

    record Editor(Terminal terminal, LineReader reader) implements ChatInput {
        @Override
        public String readLine(String prompt) {
            while (true) {
                try {
                    return reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    // Ctrl-C at the prompt abandons the line being typed, as in a shell
                } catch (EndOfFileException e) {
                    return null;
                }
            }
        }

        @Override
        public void close() {
            try {
                terminal.close();
            } catch (IOException e) {
                // closing the terminal only restores its mode; nothing is lost if that fails
            }
        }
    }
}
