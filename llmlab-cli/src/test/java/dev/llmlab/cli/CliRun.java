package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.testing.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI in-process with captured stdout/stderr.
 *
 * @param exitCode what {@code main} would exit with
 */
record CliRun(int exitCode, String out, String err) {

    /**
     * The environment tests use: models found in ../shared/models, as CI sets it; run records in a temporary
     * directory (never in the source tree).
     */
    static Map<String, String> sharedModelsEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("LLMLAB_MODEL_PATH", Fixtures.shared().resolve("models").toString());
        env.put("LLMLAB_EXPERIMENTS_OUT", RECORDS.toString());
        return env;
    }

    private static final Path RECORDS = temporaryRecords();

    private static Path temporaryRecords() {
        try {
            Path dir = Files.createTempDirectory("llmlab-test-runs");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CliRun plain(String... args) {
        return run(sharedModelsEnv(), TerminalCapabilities.plain(80), args);
    }

    /**
     * Runs with {@code env}; without an {@code HF_ENDPOINT} there, the hub is a closed loopback port, so no test
     * ever reaches the network (an unresolvable model fails at once with "cannot connect"); without an
     * {@code LLMLAB_EXPERIMENTS_OUT}, run records go to a temporary directory, never into the source tree.
     */
    static CliRun run(Map<String, String> env, TerminalCapabilities stdout, String... args) {
        env = new HashMap<>(env);
        env.putIfAbsent("HF_ENDPOINT", "http://127.0.0.1:1");
        env.putIfAbsent("LLMLAB_EXPERIMENTS_OUT", RECORDS.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(env, stdout, TerminalCapabilities.plain(80));
        int code = Main.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
