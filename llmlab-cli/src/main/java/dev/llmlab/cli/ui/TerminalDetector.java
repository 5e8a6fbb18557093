package dev.llmlab.cli.ui;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Decides, once at startup, what stdout and stderr can do: JLine's native providers tell whether a stream is
 * a terminal and how wide it is; NO_COLOR (https://no-color.org) and TERM=dumb turn escape codes off.
 */
public final class TerminalDetector {
    /** JLine providers to ask, best first: FFM needs no extra library, exec runs {@code test -t}. */
    private static final List<String> PROVIDERS = List.of("ffm", "exec");

    private final Map<String, String> env;

    public TerminalDetector(Map<String, String> env) {
        this.env = env;
    }

    public TerminalCapabilities stdout() {
        return detect(SystemStream.Output);
    }

    public TerminalCapabilities stderr() {
        return detect(SystemStream.Error);
    }

    /** Whether standard input is a terminal (false when no provider can tell). */
    public boolean stdinIsTerminal() {
        for (String name : PROVIDERS) {
            try {
                return TerminalProvider.load(name).isSystemStream(SystemStream.Input);
            } catch (IOException | RuntimeException | LinkageError e) {
                // This provider cannot run here; the next one may.
            }
        }
        return false;
    }

    private TerminalCapabilities detect(SystemStream stream) {
        for (String name : PROVIDERS) {
            try {
                TerminalProvider provider = TerminalProvider.load(name);
                boolean tty = provider.isSystemStream(stream);
                int width = tty ? provider.systemStreamWidth(stream) : columnsFromEnv();
                return new TerminalCapabilities(tty, tty && colorAllowed(), width);
            } catch (IOException | RuntimeException | LinkageError e) {
                // This provider cannot run here (no native access, no shell); the next one may.
            }
        }
        // No provider could tell: assume a pipe, the choice that never writes escape codes into files.
        return TerminalCapabilities.plain(columnsFromEnv());
    }

    /** NO_COLOR set to anything non-empty, or a dumb terminal, means no escape codes. */
    boolean colorAllowed() {
        String noColor = env.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    private int columnsFromEnv() {
        try {
            return Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
        } catch (NumberFormatException e) {
            return TerminalCapabilities.DEFAULT_WIDTH;
        }
    }
}
