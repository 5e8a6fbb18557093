package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.hub.FakeHub;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code download} and model refs that download on first use, against a hub on loopback. */
class DownloadCommandTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path cache;
    FakeHub hub;
    byte[] model;

    @BeforeEach
    void start() throws Exception {
        model = Files.readAllBytes(Fixtures.sharedFile("models/stories260K.gguf"));
        hub = new FakeHub().repo("ggml-org/tiny-llamas", COMMIT, Map.of("stories260K.gguf", model,
                "README.md", "tiny".getBytes()), List.of("stories260K.gguf"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private Map<String, String> env() {
        return Map.of("HF_ENDPOINT", hub.endpoint().toString(), "LLMLAB_CACHE", cache.toString());
    }

    @Test
    void downloadPrintsThePathAndShowsProgressOnStderr() throws Exception {
        CliRun r = CliRun.run(env(), TerminalCapabilities.plain(100), "download",
                "ggml-org/tiny-llamas/stories260K.gguf");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path path = Path.of(r.out().strip());
        assertThat(path).isEqualTo(cache.resolve("models--ggml-org--tiny-llamas/snapshots/" + COMMIT
                + "/stories260K.gguf").toAbsolutePath());
        assertThat(Files.readAllBytes(path)).isEqualTo(model);
        assertThat(r.err()).contains("downloading stories260K.gguf (1.2 MB)")
                .contains("done stories260K.gguf: 1.2 MB in");

        CliRun again = CliRun.run(env(), TerminalCapabilities.plain(100), "download", "ggml-org/tiny-llamas",
                "--json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(new ObjectMapper().readTree(again.out()).get("path").asText()).isEqualTo(path.toString());
        assertThat(again.err()).contains("stories260K.gguf (in the cache)");
        assertThat(hub.count("GET", "/cdn/")).isEqualTo(1);
    }

    @Test
    void runDownloadsOnFirstUseThenUsesTheCacheOffline() {
        CliRun first = CliRun.run(env(), TerminalCapabilities.plain(100), "run", "1",
                "--model", "ggml-org/tiny-llamas/stories260K.gguf", "--max-tokens", "8", "--temperature", "0");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Output:\n, there was a little girl");
        assertThat(first.err()).contains("done stories260K.gguf");
        int requests = hub.requests().size();

        CliRun offline = CliRun.run(Map.of("LLMLAB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1",
                "HF_ENDPOINT", hub.endpoint().toString()), TerminalCapabilities.plain(100), "run", "1",
                "--model", "ggml-org/tiny-llamas/stories260K.gguf", "--max-tokens", "8", "--temperature", "0");
        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("Output:\n, there was a little girl");
        assertThat(hub.requests()).hasSize(requests);
    }

    @Test
    void aSafetensorsRepoRefDownloadsWhatTheEngineNeedsAndRuns() throws Exception {
        Path fixture = Fixtures.shared().resolve("fixtures/hf/tiny-llama");
        hub.repo("org/tiny-llama", COMMIT, Map.of(
                "config.json", Files.readAllBytes(fixture.resolve("config.json")),
                "tokenizer.json", Files.readAllBytes(fixture.resolve("tokenizer.json")),
                "model.safetensors", Files.readAllBytes(fixture.resolve("model.safetensors")),
                "README.md", "card".getBytes(), "expected.json", "{}".getBytes()),
                List.of("model.safetensors", "tokenizer.json"));
        String[] generate = {"generate", "--prompt", "Once upon a time", "--max-tokens", "6", "--temperature", "0"};
        CliRun viaHub = CliRun.run(env(), TerminalCapabilities.plain(100), concat(generate, "--model",
                "org/tiny-llama"));
        assertThat(viaHub.exitCode()).as(viaHub.err()).isZero();
        Path snapshot = cache.resolve("models--org--tiny-llama/snapshots/" + COMMIT);
        try (var files = Files.list(snapshot)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("config.json", "model.safetensors", "tokenizer.json");
        }
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertThat(Files.mismatch(snapshot.resolve(name), fixture.resolve(name))).as(name).isEqualTo(-1);
        }
        // the engine ran on the snapshot directory (its correctness on this fixture is tested by the loader's tests)
        assertThat(viaHub.out()).isNotEmpty();
        assertThat(viaHub.err()).contains("6 tokens");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void anUnreachableHubFailsAtOnceAndSuggestsOfflineMode() {
        CliRun r = CliRun.run(Map.of("LLMLAB_CACHE", cache.toString()), TerminalCapabilities.plain(100), "run", "1",
                "--model", "org/absent-GGUF");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot connect to http://127.0.0.1:1")
                .contains("set HF_HUB_OFFLINE=1 or pass --offline");
    }

    @Test
    void downloadRefusesOfflineAndExplainsHubErrors() {
        CliRun offline = CliRun.run(env(), TerminalCapabilities.plain(100), "--offline", "download", "org/x");
        assertThat(offline.exitCode()).isEqualTo(1);
        assertThat(offline.err()).contains("offline mode is on");

        CliRun missing = CliRun.run(env(), TerminalCapabilities.plain(100), "download",
                "ggml-org/tiny-llamas/nope.gguf");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("error: no file 'nope.gguf' in ggml-org/tiny-llamas");
    }
}
