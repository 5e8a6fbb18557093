package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.cli.ui.TerminalDetector;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelResolver;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outside world as the CLI sees it, read once at startup: environment variables and what the output
 * streams are. Tests build one by hand.
 *
 * @param variables the environment variables
 * @param stdout    what standard output can do
 * @param stderr    what standard error can do
 */
public record CliEnvironment(Map<String, String> variables, TerminalCapabilities stdout,
                             TerminalCapabilities stderr) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    /** Reads the process environment and asks the terminal about stdout and stderr. */
    public static CliEnvironment detect(Map<String, String> env) {
        TerminalDetector detector = new TerminalDetector(env);
        return new CliEnvironment(env, detector.stdout(), detector.stderr());
    }

    /** The key for remote OpenAI-compatible servers ({@code OPENAI_API_KEY}), or null. */
    public String openAiApiKey() {
        String key = variables.get("OPENAI_API_KEY");
        return key == null || key.isBlank() ? null : key;
    }

    /** Where run records go unless --out says otherwise: LLMLAB_EXPERIMENTS_OUT, else ./experiments_out. */
    public Path experimentsOut() {
        String dir = variables.get("LLMLAB_EXPERIMENTS_OUT");
        return Path.of(dir == null || dir.isBlank() ? "experiments_out" : dir);
    }

    /** llmlab-bench's jar for {@code bench --compare} (LLMLAB_BENCH_JAR), or null: the one in the source tree. */
    public Path benchJar() {
        String jar = variables.get("LLMLAB_BENCH_JAR");
        return jar == null || jar.isBlank() ? null : Path.of(jar);
    }

    /** The hub's endpoint, token, cache and offline mode, from the variables. */
    public HubSettings hubSettings() {
        return HubSettings.fromEnvironment(variables);
    }

    /**
     * Local resolution only (the cache, then LLMLAB_MODEL_PATH; never downloads). Commands use
     * {@code CliContext.modelResolver()}, which also downloads with a progress bar unless offline.
     */
    public ModelResolver modelResolver() {
        return ModelResolver.fromEnvironment(variables);
    }
}
