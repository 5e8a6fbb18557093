package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `llmlab serve` running in-process on a free port; closing it interrupts the command, as Ctrl-C does. */
final class RunningServe implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/v1)");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int exitCode = -1;
    final String baseUrl;

    RunningServe(Map<String, String> env, String... args) throws InterruptedException {
        String[] full = new String[args.length + 3];
        full[0] = "serve";
        full[1] = "--port";
        full[2] = "0";
        System.arraycopy(args, 0, full, 3, args.length);
        CliEnvironment environment = new CliEnvironment(env, TerminalCapabilities.plain(80),
                TerminalCapabilities.plain(80));
        thread = new Thread(() -> exitCode = Main.run(full, environment,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                "serve-under-test");
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Matcher m;
        while (!(m = ADDRESS.matcher(out())).find()) {
            if (!thread.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("serve did not start (exit " + exitCode + "): " + out() + err());
            }
            Thread.sleep(20);
        }
        baseUrl = m.group(1);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Stops the command and returns its exit code. */
    int stop() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            throw new AssertionError("serve did not stop within 30 s");
        }
        return exitCode;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
