package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.hub.FakeHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fit}'s smaller models from a hub search, against a {@link FakeHub} on 127.0.0.1. */
class FitHubAlternativesTest {
    private static final String STORIES = "ggml-org/tiny-llamas/stories260K.gguf";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private static void add(FakeHub hub, String repo, long downloads, String file, int size) {
        hub.repo(repo, "c0ffee", Map.of(file, new byte[size]), List.of(file));
        ObjectNode hit = hub.mapper().createObjectNode().put("id", repo).put("downloads", downloads)
                .put("likes", 7).put("pipeline_tag", "text-generation");
        hit.putArray("tags").add("gguf");
        hub.searchable(hit);
    }

    /** Two small models, one of them rated in the bundled arena table (zai-org/GLM-4.7). */
    private static FakeHub hub() throws Exception {
        FakeHub hub = new FakeHub().pageSize(100);
        add(hub, "someone/tiny-llama-GGUF", 5000, "tiny-llama.Q4_K_M.gguf", 4096);
        add(hub, "someone/GLM-4.7-GGUF", 12, "GLM-4.7-Q4_0.gguf", 2048);
        return hub;
    }

    private CliRun fit(FakeHub hub, String... extra) {
        Map<String, String> env = new HashMap<>(CliRun.sharedModelsEnv());
        env.put("HF_ENDPOINT", hub.endpoint().toString());
        env.put("LLMLAB_CACHE", dir.resolve("cache").toString());
        List<String> args = new ArrayList<>(List.of("fit", STORIES, "--context", "256"));
        args.addAll(List.of(extra));
        return CliRun.run(env, TerminalCapabilities.plain(160), args.toArray(String[]::new));
    }

    @Test
    void jsonListsHubAlternativesRatedFirstWithTheirEstimates() throws Exception {
        try (FakeHub hub = hub()) {
            CliRun run = fit(hub, "--search", "gguf", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode node = json.readTree(run.out());
            JsonNode models = node.get("hub_alternatives");
            assertThat(models).hasSize(2);
            assertThat(models.get(0).get("ref").asText()).isEqualTo("someone/GLM-4.7-GGUF:Q4_0");
            assertThat(models.get(0).get("elo").asInt()).isEqualTo(1443);
            assertThat(models.get(1).get("ref").asText()).isEqualTo("someone/tiny-llama-GGUF:Q4_K_M");
            assertThat(models.get(1).get("elo").isNull()).isTrue();
            assertThat(models.get(1).get("downloads").asLong()).isEqualTo(5000);
            assertThat(models.get(1).get("file_bytes").asLong()).isEqualTo(4096);
            // the file replaces this model's weights; everything else is within the KV cache's scaling of it
            long weights = 0;
            for (JsonNode t : node.get("inference")) {
                weights += t.get("place").asText().equals("off_heap") ? t.get("bytes").asLong() : 0;
            }
            long withoutWeights = node.get("inference_bytes").asLong() - weights;
            assertThat(models.get(1).get("inference_bytes").asLong()).isGreaterThan(withoutWeights - 2L * 5 * 256 * 32 * 4)
                    .isLessThan(withoutWeights + 4096);
            assertThat(node.at("/hub_search/query").asText()).isEqualTo("gguf");
            assertThat(node.at("/hub_search/note").isNull()).isTrue();
            assertThat(hub.count("GET", "/api/models/")).isEqualTo(2);
        }
    }

    @Test
    void tableShowsRepoQuantSizeMemoryPopularityAndRating() throws Exception {
        try (FakeHub hub = hub()) {
            CliRun run = fit(hub, "--search", "gguf");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("smaller models from the hub (\"gguf\")", "someone/GLM-4.7-GGUF:Q4_0",
                    "1443", "someone/tiny-llama-GGUF:Q4_K_M", "no rating", "ranked by arena ELO");
            assertThat(run.out().indexOf("GLM-4.7-GGUF:Q4_0")).isLessThan(run.out().indexOf("tiny-llama-GGUF"));
        }
    }

    @Test
    void theDefaultSearchIsTheArchitectureName() throws Exception {
        try (FakeHub hub = hub()) {
            CliRun run = fit(hub, "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode node = json.readTree(run.out());
            assertThat(node.at("/hub_search/query").asText()).isEqualTo("llama");
            assertThat(node.get("hub_alternatives")).extracting(n -> n.get("ref").asText())
                    .containsExactly("someone/tiny-llama-GGUF:Q4_K_M"); // the fake hub matches "llama" in ids
        }
    }

    @Test
    void offlineSaysSoInOneLineAndNoHubSkipsTheSearch() throws Exception {
        try (FakeHub hub = hub()) {
            CliRun offline = CliRun.run(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_OFFLINE", "1",
                    "LLMLAB_MODEL_PATH", CliRun.sharedModelsEnv().get("LLMLAB_MODEL_PATH")),
                    TerminalCapabilities.plain(160), "fit", STORIES, "--context", "256");
            assertThat(offline.exitCode()).as(offline.err()).isZero();
            assertThat(offline.out()).contains("hub search skipped: offline", "KV cache", "LoRA");
            CliRun noHub = fit(hub, "--no-hub", "--json");
            assertThat(noHub.exitCode()).as(noHub.err()).isZero();
            assertThat(json.readTree(noHub.out()).get("hub_alternatives")).isEmpty();
            assertThat(json.readTree(noHub.out()).has("hub_search")).isFalse();
            assertThat(hub.requests()).isEmpty();
        }
    }
}
