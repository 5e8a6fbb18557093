package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.hub.FakeHub;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SystemAndFitCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void systemDescribesTheMachineAndTheEngine() {
        CliRun run = CliRun.plain("system");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("CPU", "cores", "RAM", "JVM max heap", "GPUs", "kernels", "threads",
                "precision", dev.llmlab.kernels.KernelRegistry.best().description());
    }

    @Test
    void systemJsonHasTheFactsScriptsNeed() throws Exception {
        CliRun run = CliRun.plain("system", "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode node = json.readTree(run.out());
        assertThat(node.at("/memory/totalBytes").asLong()).isPositive();
        assertThat(node.at("/cpu/logicalCores").asInt()).isPositive();
        assertThat(node.at("/jvm/maxHeapBytes").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(node.get("gpus").isArray()).isTrue();
    }

    @Test
    void fitJsonGivesTheInferenceTotalAndAVerdict() throws Exception {
        CliRun run = CliRun.plain("fit", "ggml-org/tiny-llamas/stories260K.gguf", "--context", "256", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode node = json.readTree(run.out());
        long kv = 2L * 5 * 256 * 32 * Float.BYTES; // 5 layers x 256 tokens x KV dim 32 (4 KV heads of 8) x K,V
        assertThat(node.get("context").asInt()).isEqualTo(256);
        assertThat(node.get("verdict").asText()).isEqualTo("fits");
        long sum = 0;
        for (JsonNode term : node.get("inference")) {
            sum += term.get("bytes").asLong();
            if (term.get("name").asText().equals("KV cache")) {
                assertThat(term.get("bytes").asLong()).isEqualTo(kv);
            }
        }
        assertThat(node.get("inference_bytes").asLong()).isEqualTo(sum).isGreaterThan(1_200_000);
    }

    @Test
    void fitTableShowsTheBreakdownAndAnotherDtype() {
        CliRun run = CliRun.plain("fit", "ggml-org/tiny-llamas/stories260K.gguf", "--dtype", "q8_0");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("weights converted to Q8_0", "KV cache", "JVM runtime", "total (peak resident)",
                "fits", "Q4_0 weights", "LoRA r=16 on q, k, v, o", "mixed precision", "llmlab search PATTERN");
        CliRun bad = CliRun.plain("fit", "ggml-org/tiny-llamas/stories260K.gguf", "--dtype", "Q9");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown weight type 'Q9'");
    }

    @Test
    void fitOnAHubReferenceNotInTheCacheReadsOnlyItsHeader(@TempDir Path dir) throws Exception {
        byte[] model = Files.readAllBytes(Fixtures.sharedFile("models/stories260K.gguf"));
        try (FakeHub hub = new FakeHub().repo("ggml-org/tiny-llamas", "c0ffee",
                Map.of("stories260K.gguf", model), List.of("stories260K.gguf"))) {
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "LLMLAB_CACHE", dir.resolve("cache").toString());
            CliRun run = CliRun.run(env, TerminalCapabilities.plain(100), "fit",
                    "ggml-org/tiny-llamas/stories260K.gguf", "--context", "256", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode node = json.readTree(run.out());
            CliRun local = CliRun.plain("fit", "ggml-org/tiny-llamas/stories260K.gguf", "--context", "256", "--json");
            JsonNode expected = json.readTree(local.out());
            assertThat(node.at("/inference/0/bytes").asLong()).isEqualTo(expected.at("/inference/0/bytes").asLong());
            long wholeFileGets = hub.requests().stream().filter(r -> r.method().equals("GET")
                    && r.path().endsWith("stories260K.gguf") && r.range() == null).count();
            assertThat(wholeFileGets).isZero();
            assertThat(Files.exists(dir.resolve("cache"))).as("nothing downloaded into the cache").isFalse();
        }
    }

    @Test
    void fitTakesTheModelAsREFOrAsModelOptionButNotBoth() {
        CliRun option = CliRun.plain("fit", "--model", "ggml-org/tiny-llamas/stories260K.gguf", "--context", "256");
        assertThat(option.exitCode()).as(option.err()).isZero();
        assertThat(option.out()).contains("KV cache");
        CliRun both = CliRun.plain("fit", "ggml-org/tiny-llamas/stories260K.gguf", "--model", "x.gguf");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("pass the model once");
        CliRun none = CliRun.plain("fit");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("pass REF or --model REF");
    }
}
