package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.testing.CacheSeed;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Models straight from hub refs through a seeded cache, offline; {@code cache list} and {@code cache rm}. */
class CacheCommandsTest {
    @TempDir
    Path cache;

    private CliRun run(Map<String, String> env, String... args) {
        return CliRun.run(env, TerminalCapabilities.plain(100), args);
    }

    @Test
    void runLoadsTheDefaultModelFromTheCacheOffline() throws Exception {
        Path pointer = CacheSeed.seed(cache, "ggml-org/tiny-llamas", "stories260K.gguf",
                Fixtures.sharedFile("models/stories260K.gguf"));
        // no LLMLAB_MODEL_PATH: only the cache can answer
        CliRun r = run(Map.of("LLMLAB_CACHE", cache.toString()), "run", "1", "--offline",
                "--model", "ggml-org/tiny-llamas/stories260K.gguf", "--max-tokens", "12", "--temperature", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Loaded llama (stories260K.gguf)")
                .contains("Output:\n, there was a little girl named Lily.");
        assertThat(Files.isSymbolicLink(pointer)).isTrue();

        CliRun viaEnv = run(Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1"), "generate",
                "--model", "ggml-org/tiny-llamas", "--prompt", "Once upon a time", "--max-tokens", "8",
                "--temperature", "0");
        assertThat(viaEnv.exitCode()).as(viaEnv.err()).isZero();
        assertThat(viaEnv.out()).isEqualTo(", there was a little girl");
    }

    @Test
    void helpListsTheHubCommandsAndTheOfflineFlag() {
        CliRun help = run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("info", "search", "download", "cache", "elo", "--offline", "HF_HUB_OFFLINE");
        assertThat(run(Map.of(), "cache").out()).contains("list", "rm");
    }

    @Test
    void offlineMissSaysWhatIsMissingAndWhatToDo() {
        CliRun r = run(Map.of("LLMLAB_CACHE", cache.toString()), "run", "1", "--offline",
                "--model", "org/absent-GGUF:Q8_0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: model 'org/absent-GGUF:Q8_0' is not in the cache")
                .contains("offline mode is on").contains("llmlab download org/absent-GGUF:Q8_0");
    }

    @Test
    void cacheListAndRemove() throws Exception {
        Path source = Fixtures.sharedFile("models/stories260K.gguf");
        CacheSeed.seed(cache, "ggml-org/tiny-llamas", "stories260K.gguf", source);
        Map<String, String> env = Map.of("HF_HOME", cache.getParent().toString(), "LLMLAB_CACHE", cache.toString());

        CliRun list = run(env, "cache", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("Repository").contains("ggml-org/tiny-llamas").contains("1.2 MB")
                .contains("main").contains("1 repository, 1.2 MB in " + cache.toAbsolutePath());

        JsonNode json = new ObjectMapper().readTree(run(env, "cache", "list", "--json").out());
        assertThat(json.get(0).get("repo").asText()).isEqualTo("ggml-org/tiny-llamas");
        assertThat(json.get(0).get("size_bytes").asLong()).isEqualTo(Files.size(source));
        assertThat(json.get(0).get("files").asInt()).isEqualTo(1);

        CliRun file = run(env, "cache", "rm", "ggml-org/tiny-llamas/stories260K.gguf");
        assertThat(file.exitCode()).isEqualTo(1);
        assertThat(file.err()).contains("not a file: give ggml-org/tiny-llamas or ggml-org/tiny-llamas@REVISION");
        CliRun rm = run(env, "cache", "rm", "ggml-org/tiny-llamas");
        assertThat(rm.exitCode()).as(rm.err()).isZero();
        assertThat(rm.out()).contains("removed ggml-org/tiny-llamas (1.2 MB freed)");
        assertThat(run(env, "cache", "list").out()).contains("holds no models");
        CliRun again = run(env, "cache", "rm", "ggml-org/tiny-llamas");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("is not in the cache");
    }
}
