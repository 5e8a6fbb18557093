package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationCommandsTest {
    private static final String MODEL = Fixtures.sharedFile("models/stories260K.gguf").toString();

    @Test
    void runOneStreamsAStoryFromTheDefaultModelAsPlainText() {
        CliRun r = CliRun.plain("run", "1", "--max-tokens", "20", "--temperature", "0", "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Ansi.hasEscapes(r.out())).isFalse();
        assertThat(r.out()).contains("Loaded llama (stories260K.gguf) · llama · 1.2 MB")
                .contains("Prompt: Once upon a time\nOutput:\n, there was a little girl named Lily.")
                .contains("Summary:")
                .contains("Generation           20 tokens")
                .contains("Finish reason        max tokens");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runOneOnAColourTerminalDrawsPanels() {
        CliRun r = CliRun.run(CliRun.sharedModelsEnv(), TerminalCapabilities.ansi(100), "run", "1",
                "--max-tokens", "20", "--temperature", "0", "--prompt", "The little dog");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\u001b[36;1m Prompt ").contains("\u001b[32;1m Output ")
                .contains("\u001b[34;1m Summary ").contains("\u001b[36mThe little dog");
        assertThat(Ansi.strip(r.out())).contains("20/20 tokens").contains("was a little girl named Lily.");
    }

    @Test
    void noColorFlagGivesPlainTextOnATerminal() {
        CliRun r = CliRun.run(CliRun.sharedModelsEnv(), TerminalCapabilities.ansi(100), "run", "1",
                "--max-tokens", "5", "--no-color");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Ansi.hasEscapes(r.out())).isFalse();
        assertThat(r.out()).contains("Prompt: Once upon a time");
    }

    @Test
    void generatePipedPrintsExactlyLlamaCppsGreedyCompletions() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json")
                .toFile());
        for (JsonNode c : cases) {
            CliRun r = CliRun.plain("generate", "--model", MODEL, "--prompt", c.get("prompt").asText(),
                    "--temperature", "0", "--max-tokens", String.valueOf(c.get("max_tokens").asInt()));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(c.get("completion").asText());
            assertThat(r.err()).contains("60 tokens · ").contains("max tokens");
        }
    }

    @Test
    void generateJsonWritesTokenLinesThenTheResult() throws Exception {
        CliRun r = CliRun.plain("generate", "--model", MODEL, "--prompt", "Once upon a time", "--json",
                "--max-tokens", "12", "--seed", "3", "--stop", "Lily");
        assertThat(r.exitCode()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        String[] lines = r.out().split("\n");
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < lines.length - 1; i++) {
            JsonNode token = mapper.readTree(lines[i]);
            assertThat(token.get("type").asText()).isEqualTo("token");
            assertThat(token.get("index").asInt()).isEqualTo(i);
            assertThat(token.has("id")).isTrue();
            streamed.append(token.get("text").asText());
        }
        JsonNode result = mapper.readTree(lines[lines.length - 1]);
        assertThat(result.get("type").asText()).isEqualTo("result");
        assertThat(streamed + result.get("trailing_text").asText()).isEqualTo(result.get("text").asText());
        assertThat(result.get("text").asText()).doesNotContain("Lily");
        assertThat(result.get("token_ids").size()).isEqualTo(result.get("generated_tokens").asInt());
        assertThat(result.get("prompt_tokens").asInt()).isEqualTo(5);
        for (String field : new String[]{"ttft_ms", "prompt_tokens_per_second", "tokens_per_second",
                "finish_reason"}) {
            assertThat(result.has(field)).as(field).isTrue();
        }
        assertThat(r.err()).isEmpty();
    }

    @Test
    void sameSeedSameText() {
        String[] args = {"generate", "--model", MODEL, "--prompt", "One day", "--max-tokens", "30", "--seed", "9"};
        assertThat(CliRun.plain(args).out()).isEqualTo(CliRun.plain(args).out());
    }

    @Test
    void missingModelFileIsOneClearLine() {
        CliRun r = CliRun.plain("run", "1", "--model", "/nowhere/missing.gguf");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no such model file: /nowhere/missing.gguf; check the path, or "
                + "name a hub model like org/repo\n");
    }

    @Test
    void zeroThreadsIsAUsageErrorNamingTheOption() {
        String[][] commands = {{"generate", "--prompt", "x"}, {"bench", "-p", "4", "-n", "2"}, {"chat"}};
        for (String[] command : commands) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--model", MODEL, "--threads", "0")).toArray(String[]::new);
            CliRun r = CliRun.plain(args);
            assertThat(r.exitCode()).as(command[0]).isEqualTo(2);
            assertThat(r.err()).as(command[0]).startsWith("--threads must be at least 1, got 0");
        }
    }

    @Test
    void generateRefusesASecondModelInsteadOfIgnoringIt() {
        CliRun r = CliRun.plain("generate", "--model", MODEL, "--model", MODEL, "--prompt", "x", "--max-tokens", "2");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: this command takes one --model, got 2")
                .contains("llmlab run model-comparison");
    }

    @Test
    void anExperimentOnOneModelRefusesASecondModel() {
        CliRun r = CliRun.plain("run", "2", "--model", MODEL, "--model", MODEL, "--max-tokens", "2");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("experiment sampling-sweep runs one model, got 2")
                .contains("llmlab run model-comparison");
    }

    @Test
    void defaultModelOutsideTheSearchPathSaysWhatToDo(@TempDir Path emptyCache) {
        Map<String, String> env = new HashMap<>();
        env.put("LLMLAB_CACHE", emptyCache.toString());
        env.put("HF_HUB_OFFLINE", "1");
        CliRun r = CliRun.run(env, TerminalCapabilities.plain(80), "run", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: model 'ggml-org/tiny-llamas/stories260K.gguf' is not in the cache")
                .contains("offline: pass --model FILE or set LLMLAB_MODEL_PATH");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun r = CliRun.plain("run", "1", "--model", "/nowhere/missing.gguf", "--verbose");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: no such model file").contains("ModelNotFoundException")
                .contains("\tat dev.llmlab.");
    }
}
