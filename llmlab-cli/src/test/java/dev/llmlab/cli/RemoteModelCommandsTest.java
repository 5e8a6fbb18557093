package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `run`, `generate` and `chat` against `llmlab serve` through --model openai:URL#model give the local engine's text. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteModelCommandsTest {
    private static final String MODEL_FILE = Fixtures.sharedFile("models/stories260K.gguf").toString();
    private static final String KEY = "sk-cli-remote";

    private RunningServe serve;
    private String remoteRef;

    @BeforeAll
    void start() throws InterruptedException {
        serve = new RunningServe(CliRun.sharedModelsEnv(), "--model", MODEL_FILE, "--api-key", KEY, "--threads", "1");
        remoteRef = "openai:" + serve.baseUrl + "#stories260K";
    }

    @AfterAll
    void stop() throws InterruptedException {
        serve.stop();
    }

    @Test
    void generateWithTheKeyFromTheEnvironment() {
        CliRun local = CliRun.plain("generate", "--model", MODEL_FILE, "--prompt", "One day, a big",
                "--temperature", "0", "--max-tokens", "40");
        Map<String, String> env = CliRun.sharedModelsEnv();
        env.put("OPENAI_API_KEY", KEY);
        CliRun remote = CliRun.run(env, TerminalCapabilities.plain(80), "generate", "--model", remoteRef,
                "--prompt", "One day, a big", "--temperature", "0", "--max-tokens", "40");
        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(remote.out()).isEqualTo(local.out()).isNotBlank();
        assertThat(remote.err()).contains("40 tokens");
    }

    @Test
    void runExperimentOneWithTheKeyFlag() {
        CliRun local = CliRun.plain("run", "1", "--model", MODEL_FILE, "--temperature", "0", "--max-tokens", "30",
                "--json");
        CliRun remote = CliRun.plain("run", "1", "--model", remoteRef, "--api-key", KEY, "--temperature", "0",
                "--max-tokens", "30", "--json");
        assertThat(remote.exitCode()).as(remote.err()).isZero();
        String localText = resultText(local.out());
        assertThat(resultText(remote.out())).isEqualTo(localText).isNotBlank();
        assertThat(remote.out()).contains("\"backend\":\"" + remoteRef + "\"");
    }

    @Test
    void chatThroughTheServerGivesTheLocalReplies() {
        String stdin = "Once upon a time\nLily\n";
        CliRun local = chat(stdin, "--model", MODEL_FILE);
        CliRun remote = chat(stdin, "--model", remoteRef, "--api-key", KEY);
        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(remote.out()).isEqualTo(local.out()).isNotBlank();
        assertThat(remote.err()).contains("chat template: the server's");
    }

    private static CliRun chat(String stdin, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(CliRun.sharedModelsEnv(), TerminalCapabilities.plain(80),
                TerminalCapabilities.plain(80));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("chat", "--max-tokens", "16",
                "--temperature", "0", "--threads", "1"));
        all.addAll(java.util.List.of(args));
        var utf8 = java.nio.charset.StandardCharsets.UTF_8;
        int code = Main.run(all.toArray(String[]::new), env,
                new CliInput(new java.io.ByteArrayInputStream(stdin.getBytes(utf8)), false),
                new java.io.PrintStream(out, true, utf8), new java.io.PrintStream(err, true, utf8));
        return new CliRun(code, out.toString(utf8), err.toString(utf8));
    }

    @Test
    void missingKeyAndLocalOnlyCommandsFailClearly() {
        CliRun noKey = CliRun.plain("generate", "--model", remoteRef, "--prompt", "x", "--max-tokens", "2");
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).contains("HTTP 401").contains("OPENAI_API_KEY");
        CliRun bench = CliRun.plain("bench", "--model", remoteRef, "-p", "8", "-n", "4", "-r", "1");
        assertThat(bench.exitCode()).isEqualTo(1);
        assertThat(bench.err()).contains("remote model").contains("llmlab run");
    }

    private static String resultText(String jsonLines) {
        for (String line : jsonLines.split("\n")) {
            if (line.contains("\"type\":\"result\"")) {
                try {
                    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("text").asText();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no result line in " + jsonLines);
    }
}
