package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.hub.FakeHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code info} and {@code search} against a loopback hub serving hub-shaped JSON with Link paging. */
class ResearchCommandsTest {
    private static final String COMMIT = "feedfacefeedfacefeedfacefeedfacefeedface";
    FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub().repo("org/tiny-GGUF", COMMIT, Map.of(
                "README.md", new byte[120],
                "tiny-Q4_K_M.gguf", new byte[4000],
                "tiny-Q8_0.gguf", new byte[7000],
                "F16/tiny-F16-00001-of-00002.gguf", new byte[9000],
                "F16/tiny-F16-00002-of-00002.gguf", new byte[5000]),
                List.of("tiny-Q4_K_M.gguf", "tiny-Q8_0.gguf", "F16/tiny-F16-00001-of-00002.gguf",
                        "F16/tiny-F16-00002-of-00002.gguf"));
        hub.info("org/tiny-GGUF").put("downloads", 1_234_567).put("likes", 890)
                .putObject("gguf").put("total", 1_100_048_384L).put("architecture", "llama");
        hub.info("org/tiny-GGUF").putObject("cardData").put("license", "llama3.2");
        ObjectMapper m = hub.mapper();
        String[][] models = {{"org/alpha-GGUF", "900", "5", "1"}, {"org/beta-GGUF", "800", "50", "9"},
                {"org/gamma", "700", "7", "3"}, {"x/delta-GGUF", "600", "70", "2"}, {"y/epsilon-GGUF", "500", "1", "0"},
                {"z/zeta-GGUF", "400", "2", "4"}, {"z/other", "300", "3", "5"}};
        for (String[] model : models) {
            var node = m.createObjectNode().put("id", model[0]).put("downloads", Long.parseLong(model[1]))
                    .put("likes", Long.parseLong(model[2])).put("trendingScore", Double.parseDouble(model[3]))
                    .put("pipeline_tag", "text-generation").put("lastModified", "2025-01-02T03:04:05.000Z");
            var tags = node.putArray("tags");
            if (model[0].contains("GGUF")) {
                tags.add("gguf");
            }
            hub.searchable(node);
        }
        hub.searchable(m.createObjectNode().put("id", "unsloth/GLM-4.7-GGUF").put("downloads", 10).put("likes", 0)
                .put("trendingScore", 0));
        hub.repo("zai-org/GLM-4.7", COMMIT, Map.of("config.json", new byte[10]), List.of());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private CliRun run(String... args) {
        return CliRun.run(Map.of("HF_ENDPOINT", hub.endpoint().toString()), TerminalCapabilities.plain(120), args);
    }

    @Test
    void infoShowsFactsQuantsAndFiles() {
        CliRun r = run("info", "org/tiny-GGUF");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("org/tiny-GGUF  (main = feedfacefeed)")
                .containsPattern("author +org").containsPattern("downloads +1.2M \\(30 days\\)")
                .containsPattern("likes +890").containsPattern("licence +llama3.2")
                .containsPattern("pipeline +text-generation").containsPattern("parameters +1.1B")
                .containsPattern("files +5 \\(25.1 kB\\)").containsPattern("last modified +2025-06-01")
                .containsPattern("F16 +14.0 kB +2 parts").containsPattern("Q4_K_M +4.0 kB +tiny-Q4_K_M.gguf")
                .containsPattern("Q8_0 +7.0 kB +tiny-Q8_0.gguf").containsPattern("README.md +120 B");
    }

    @Test
    void infoJson() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("info", "org/tiny-GGUF", "--json").out());
        assertThat(j.get("id").asText()).isEqualTo("org/tiny-GGUF");
        assertThat(j.get("sha").asText()).isEqualTo(COMMIT);
        assertThat(j.get("parameters").asLong()).isEqualTo(1_100_048_384L);
        assertThat(j.get("license").asText()).isEqualTo("llama3.2");
        assertThat(j.get("files")).hasSize(5);
        assertThat(j.get("gguf_quants").findValuesAsText("quant")).containsExactly("F16", "Q4_K_M", "Q8_0");
        assertThat(j.get("gguf_quants").get(0).get("size_bytes").asLong()).isEqualTo(14_000);
        assertThat(j.get("elo").isNull()).isTrue();
        JsonNode rated = new ObjectMapper().readTree(run("info", "zai-org/GLM-4.7", "--json").out());
        assertThat(rated.get("elo").get("score").asInt()).isEqualTo(1443);
        assertThat(rated.get("elo").get("source").asText()).contains("fetched 2026-04-19");
        assertThat(run("info", "zai-org/GLM-4.7").out()).containsPattern("ELO +1443 ± 6 \\(glm-4.7, arena 2026-04-19\\)");
    }

    @Test
    void searchFollowsLinkPagesSortsAndFilters() throws Exception {
        CliRun r = run("search", "GGUF", "--limit", "4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("Model +Downloads +Likes +Trend +ELO +Pipeline +Updated")
                .containsPattern("org/alpha-GGUF +900 +5 +1 +no rating +text-generation +2025-01-02")
                .contains("ELO: Source: arena.ai");
        assertThat(r.out().lines().filter(l -> l.contains("-GGUF")).toList()).hasSize(4);
        // pages of two, chained by Link headers: two requests for four results
        assertThat(hub.count("GET", "/api/models")).isEqualTo(2);

        JsonNode likes = new ObjectMapper().readTree(run("search", "--sort", "likes", "--filter", "gguf",
                "--limit", "10", "--json").out());
        assertThat(likes.findValuesAsText("id")).containsExactly("x/delta-GGUF", "org/beta-GGUF", "org/alpha-GGUF",
                "z/zeta-GGUF", "y/epsilon-GGUF");
        JsonNode trending = new ObjectMapper().readTree(run("search", "--sort", "trending", "--limit", "2",
                "--json").out());
        assertThat(trending.findValuesAsText("id")).containsExactly("org/beta-GGUF", "z/other");
        assertThat(run("search", "glm").out()).containsPattern("unsloth/GLM-4.7-GGUF +10 +0 +0 +1443 ± 6");
        JsonNode glm = new ObjectMapper().readTree(run("search", "glm", "--json").out());
        assertThat(glm.get(0).get("elo").get("score").asInt()).isEqualTo(1443);
        assertThat(likes.get(0).get("elo").isNull()).isTrue();
    }

    @Test
    void researchErrorsSayWhatToDo() {
        CliRun missing = run("info", "org/nothing");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("401").contains("does not exist or is private or gated")
                .contains("set HF_TOKEN");
        CliRun badSort = run("search", "x", "--sort", "stars");
        assertThat(badSort.exitCode()).isEqualTo(1);
        assertThat(badSort.err()).contains("--sort must be downloads, likes or trending");
        CliRun offline = run("--offline", "search", "x");
        assertThat(offline.err()).contains("offline mode is on");
    }
}
