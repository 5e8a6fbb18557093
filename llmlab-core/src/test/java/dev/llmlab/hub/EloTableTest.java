package dev.llmlab.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class EloTableTest {

    /** The bundled table is the shared arena snapshot, unchanged: every rank, name, score, interval and vote count. */
    @Test
    void bundledRatingsAreTheSnapshotsWithItsSourceAndDate() throws IOException {
        JsonNode snapshot = new ObjectMapper().readTree(Fixtures.sharedFile("data/arena/text-2026-04-19.json")
                .toFile());
        EloTable table = EloTable.bundled();
        assertThat(table.source().url()).isEqualTo(snapshot.get("meta").get("source_url").asText());
        assertThat(table.source().fetchedAt()).isEqualTo(snapshot.get("meta").get("fetched_at").asText());
        assertThat(table.source().date()).isEqualTo("2026-04-19");
        assertThat(table.ratings()).hasSize(snapshot.get("models").size());
        for (JsonNode m : snapshot.get("models")) {
            EloTable.Rating r = table.ratings().stream().filter(x -> x.model().equals(m.get("model").asText()))
                    .findFirst().orElseThrow();
            assertThat(r.rank()).isEqualTo(m.get("rank").asInt());
            assertThat(r.score()).isEqualTo(m.get("score").asInt());
            assertThat(r.ci()).isEqualTo(m.get("ci").asInt());
            assertThat(r.votes()).isEqualTo(m.get("votes").asLong());
            assertThat(r.vendor()).isEqualTo(m.get("vendor").asText());
            assertThat(r.license()).isEqualTo(m.get("license").asText());
            // only open-weight models have hub repositories
            if (!r.hubIds().isEmpty()) {
                assertThat(r.license()).isEqualTo("open");
            }
        }
    }

    @Test
    void joinsHubIdsAndTheirGgufRepackagings() {
        EloTable table = EloTable.bundled();
        assertThat(table.forHubId("zai-org/GLM-4.7")).get().extracting(EloTable.Rating::score).isEqualTo(1443);
        assertThat(table.forHubId("unsloth/GLM-4.7-GGUF")).get().extracting(EloTable.Rating::model)
                .isEqualTo("glm-4.7");
        assertThat(table.forHubId("bartowski/zai-org_GLM-4.7-GGUF")).get().extracting(EloTable.Rating::model)
                .isEqualTo("glm-4.7");
        // two arena entries share one repository: the better rating is shown
        assertThat(table.forHubId("moonshotai/kimi-k2.5")).get().extracting(EloTable.Rating::model)
                .isEqualTo("kimi-k2.5-thinking");
        assertThat(table.forHubId("someone/GLM-4.7-Flash-GGUF")).isEmpty();
        assertThat(table.forHubId("ggml-org/tiny-llamas")).isEmpty();
        assertThat(table.matching("gemma")).extracting(EloTable.Rating::model)
                .containsExactly("gemma-4-31b", "gemma-4-26b-a4b");
        assertThat(table.matching("Qwen/")).extracting(EloTable.Rating::model).containsExactly("qwen3.5-397b-a17b");
    }

    @Test
    void parsesTheLeaderboardSnapshotFormatAndCarriesHubIdsOver() throws IOException {
        JsonNode raw = new ObjectMapper().readTree("""
                {"meta": {"source_url": "https://arena.example/text", "fetched_at": "2026-11-25T10:00:00Z"},
                 "models": [{"rank": 1, "model": "glm-4.7", "vendor": "Z.ai", "license": "open", "score": 1490,
                             "ci": 4, "votes": 99999},
                            {"rank": 2, "model": "new-model", "vendor": "X", "license": "open", "score": 1400,
                             "ci": 9, "votes": 10}]}""");
        EloTable t = EloTable.parse(raw).withHubIdsFrom(EloTable.bundled());
        assertThat(t.source().date()).isEqualTo("2026-11-25");
        assertThat(t.forHubId("zai-org/GLM-4.7")).get().extracting(EloTable.Rating::score).isEqualTo(1490);
        assertThat(t.ratings().get(1).hubIds()).isEmpty();
        assertThat(EloTable.parse(t.toJson()).ratings()).isEqualTo(t.ratings());
    }
}
