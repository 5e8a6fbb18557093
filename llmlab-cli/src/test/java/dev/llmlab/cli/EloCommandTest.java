package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.hub.FakeHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EloCommandTest {
    @TempDir
    Path cache;

    private CliRun run(Map<String, String> env, String... args) {
        return CliRun.run(env, TerminalCapabilities.plain(140), args);
    }

    @Test
    void listsBundledRatingsWithTheirSourceAndDate() throws Exception {
        CliRun r = run(Map.of("LLMLAB_CACHE", cache.toString()), "elo", "glm");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("Rank +Model +Vendor +Licence +ELO +Votes +Hub id")
                .containsPattern("15 +glm-5.1 +Z.ai +open +1472 ± 7 +7.2K +zai-org/GLM-5.1")
                .containsPattern("41 +glm-4.7 +Z.ai +open +1443 ± 6 +12.1K +zai-org/GLM-4.7")
                .contains("Source: arena.ai text leaderboard (formerly LMArena / Chatbot Arena), top 50, fetched "
                        + "2026-04-19 (https://arena.ai/leaderboard/text)");
        assertThat(r.out().lines().filter(l -> l.contains("Z.ai")).count()).isEqualTo(3);
        JsonNode all = new ObjectMapper().readTree(run(Map.of("LLMLAB_CACHE", cache.toString()), "elo", "--json")
                .out());
        assertThat(all.get("models")).hasSize(50);
        assertThat(all.get("fetched_at").asText()).startsWith("2026-04-19");
    }

    @Test
    void refreshFetchesTheCurrentLeaderboardAndKeepsIt() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            hub.serve("/leaderboard/text.json", """
                    {"meta": {"leaderboard": "text", "source_url": "https://arena.ai/leaderboard/text",
                              "fetched_at": "2026-11-25T04:00:00+00:00", "model_count": 2},
                     "models": [{"rank": 1, "model": "glm-4.7", "vendor": "Z.ai", "license": "open",
                                 "score": 1501, "ci": 3, "votes": 40000},
                                {"rank": 2, "model": "brand-new", "vendor": "Y", "license": "open",
                                 "score": 1480, "ci": 9, "votes": 500}]}""".getBytes(StandardCharsets.UTF_8));
            Map<String, String> env = Map.of("LLMLAB_CACHE", cache.toString(), "LLMLAB_ARENA_URL",
                    hub.endpoint() + "/leaderboard/text.json");
            CliRun r = run(env, "elo", "--refresh");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("refreshed: 2 models from " + hub.endpoint());
            assertThat(r.out()).containsPattern("glm-4.7 +Z.ai +open +1501 ± 3 +40K +zai-org/GLM-4.7")
                    .contains("fetched 2026-11-25");
            assertThat(Files.isRegularFile(cache.resolve("llmlab/arena-elo.json"))).isTrue();
            assertThat(hub.requests()).allMatch(req -> req.path().equals("/leaderboard/text.json"));
        }
        // later, offline: the refreshed table is used
        CliRun later = run(Map.of("LLMLAB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1"), "elo", "brand");
        assertThat(later.out()).containsPattern("brand-new +Y +open +1480 ± 9").contains("fetched 2026-11-25");
    }

    @Test
    void refreshNeedsAUrlAndTheNetwork() {
        CliRun noUrl = run(Map.of("LLMLAB_CACHE", cache.toString()), "elo", "--refresh");
        assertThat(noUrl.exitCode()).isEqualTo(1);
        assertThat(noUrl.err()).contains("--refresh needs LLMLAB_ARENA_URL");
        CliRun offline = run(Map.of("LLMLAB_CACHE", cache.toString(), "LLMLAB_ARENA_URL", "http://127.0.0.1:1/x"),
                "--offline", "elo", "--refresh");
        assertThat(offline.err()).contains("offline mode is on");
    }
}
