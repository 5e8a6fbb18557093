package dev.llmlab.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.FakeHub;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.RetryPolicy;
import dev.llmlab.hub.Sleeper;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HubRecommendationsTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** Room beyond the fixed terms of the current estimate: files up to about 1.4 MB at 4.5 bits fit. */
    private static final long ROOM = 3_000_000;
    private static final EloTable ELO = new EloTable(new EloTable.Source("test", null, "2026-01-01"), List.of(
            new EloTable.Rating(1, "Llama-Rated", "Meta", "", 1300, 5, 1000, List.of("meta/llama-rated"))));

    @TempDir
    Path dir;

    private final InferenceEstimate current = new MemoryEstimator(new RuntimeProfile(50_000_000, 130_000_000, "test"))
            .inference(ModelHeaders.gguf(Fixtures.sharedFile("models/stories260K.gguf"),
                    ArchitectureRegistry.defaults(), false), 256, LoadMode.READ, 1);

    /** Total memory minus the weights and the KV cache: what every candidate keeps as it is. */
    private long fixedTerms() {
        return current.totalBytes() - current.bytesIn(MemoryTerm.Place.OFF_HEAP) - current.term("KV cache");
    }

    private Recommender recommender() {
        long usable = (long) ((fixedTerms() + ROOM) / Verdict.FITS_SHARE);
        return new Recommender(new MemoryEstimator(new RuntimeProfile(0, 0, "test")),
                new MemoryInfo(usable, usable, -1, -1), 1L << 40);
    }

    private HubRecommendations recommendations(URI endpoint, int candidates) {
        HubClient client = new HubClient(new HubSettings(endpoint, null, dir.resolve("cache"), false, List.of(), null),
                HttpClient.newHttpClient(), new RetryPolicy(1, Duration.ZERO, Duration.ZERO), Sleeper.system());
        return new HubRecommendations(new HubApi(client), ELO, recommender(), candidates);
    }

    private static FakeHub add(FakeHub hub, String repo, long downloads, String pipeline, Map<String, Integer> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((name, size) -> bytes.put(name, new byte[size]));
        hub.repo(repo, "c0ffee", bytes, List.copyOf(files.keySet()));
        ObjectNode hit = hub.mapper().createObjectNode().put("id", repo).put("downloads", downloads)
                .put("likes", downloads / 10).put("pipeline_tag", pipeline);
        hit.putArray("tags").add("gguf");
        return hub.searchable(hit);
    }

    private static FakeHub llamaHub() throws Exception {
        FakeHub hub = new FakeHub().pageSize(100);
        add(hub, "alice/Llama-Small-GGUF", 500, "text-generation", Map.of("llama-small.Q4_K_M.gguf", 1_000_000,
                "llama-small.Q8_0.gguf", 1_900_000, "mmproj-llama-small-Q2_K.gguf", 1000));
        add(hub, "bob/llama-big-GGUF", 9000, "text-generation", Map.of("big-Q4_K_M.gguf", 2_000_000,
                "big-Q3_K_M.gguf", 900_000, "big-Q2_K.gguf", 600_000));
        add(hub, "carol/llama-huge-GGUF", 20_000, "text-generation", Map.of("huge-F16.gguf", 3_000_000));
        add(hub, "someone/Llama-Rated-GGUF", 10, "text-generation", Map.of("rated-Q4_0.gguf", 500_000));
        add(hub, "dave/llava-GGUF", 50_000, "image-text-to-text", Map.of("llava-Q4_0.gguf", 1000));
        return hub;
    }

    @Test
    void keepsWhatFitsPreferringQ4KMElseTheSmallestAndRanksRatedModelsFirstThenByDownloads() throws Exception {
        try (FakeHub hub = llamaHub()) {
            HubRecommendations.Result result = recommendations(hub.endpoint(), 20).find(current, "llama", LIMIT);
            assertThat(result.note()).isNull();
            assertThat(result.models()).extracting(HubRecommendations.Candidate::ref).containsExactly(
                    "someone/Llama-Rated-GGUF:Q4_0", // ELO 1300, 10 downloads
                    "bob/llama-big-GGUF:Q2_K",       // Q4_K_M (2 MB) does not fit: the smallest that does
                    "alice/Llama-Small-GGUF:Q4_K_M"); // fewer downloads; its mmproj file is not a model
            // carol's only file (3 MB F16) does not fit; llava is not text generation and is not even listed
            assertThat(result.models().getFirst().elo()).hasValue(1300);
            assertThat(result.models().get(1).elo()).isEmpty();
            assertThat(result.checked()).isEqualTo(4);
            assertThat(hub.count("GET", "/api/models/dave")).isZero();
            assertThat(result.models()).allSatisfy(c -> assertThat(c.verdict().level()).isEqualTo(Verdict.Level.FITS));
        }
    }

    @Test
    void estimateIsTheFilePlusTheKvCacheScaledByImpliedParametersPlusTheCurrentFixedTerms() {
        // 1 MB of Q4_K (144 bytes per 256 weights = 4.5 bits): 1 777 777.8 parameters
        long[] memory = HubRecommendations.estimate(current, 1_000_000, 4.5);
        double kvPerParameter = (double) (2L * 5 * 256 * 32 * 4) / current.model().parameterCount();
        double kv = kvPerParameter * 1_000_000 * 8 / 4.5;
        assertThat((double) memory[0]).isCloseTo(1_000_000 + fixedTerms() + kv, within(1.0));
        assertThat((double) memory[1]).isCloseTo(current.heapBytes() - 2L * 5 * 256 * 32 * 4 + kv, within(1.0));
        assertThat(HubRecommendations.bitsPerWeight("Q4_K_M")).hasValue(4.5);
        assertThat(HubRecommendations.bitsPerWeight("Q8_0")).hasValue(8.5);
        assertThat(HubRecommendations.bitsPerWeight("IQ2_XS")).hasValue(74 * 8 / 256.0);
        assertThat(HubRecommendations.bitsPerWeight("FP16")).hasValue(16.0);
        assertThat(HubRecommendations.bitsPerWeight("?")).isEmpty();
    }

    @Test
    void makesOneSearchAndAtMostOneFileListingPerCandidate() throws Exception {
        try (FakeHub hub = new FakeHub().pageSize(100)) {
            for (int i = 0; i < 30; i++) {
                add(hub, "org/llama-" + i + "-GGUF", 1000 + i, "text-generation", Map.of("m-Q4_K_M.gguf", 1000));
            }
            HubRecommendations.Result result = recommendations(hub.endpoint(), 20).find(current, "llama", LIMIT);
            assertThat(hub.count("GET", "/api/models")).isEqualTo(21); // 1 search + 20 file listings
            assertThat(hub.requests()).filteredOn(r -> r.path().equals("/api/models")).hasSize(1);
            assertThat(hub.requests()).allSatisfy(r -> assertThat(r.path()).startsWith("/api/models"));
            assertThat(result.models()).hasSize(20).first().extracting(HubRecommendations.Candidate::repo)
                    .isEqualTo("org/llama-29-GGUF");
        }
    }

    @Test
    void aHubErrorIsOneNoteNotAFailure() throws Exception {
        HubRecommendations.Result down = recommendations(URI.create("http://127.0.0.1:1"), 20)
                .find(current, "llama", LIMIT);
        assertThat(down.models()).isEmpty();
        assertThat(down.note()).startsWith("hub search failed (").endsWith("the rest of the report stands");
        try (FakeHub hub = llamaHub()) {
            hub.fault("/api/models/bob", new FakeHub.Fault.Status(500, Map.of()));
            HubRecommendations.Result partial = recommendations(hub.endpoint(), 20).find(current, "llama", LIMIT);
            assertThat(partial.models()).extracting(HubRecommendations.Candidate::repo)
                    .containsExactly("someone/Llama-Rated-GGUF", "alice/Llama-Small-GGUF");
            assertThat(partial.note()).isEqualTo("1 of 4 candidates skipped: the hub did not list their files");
        }
    }

    @Test
    void aHubThatNeverAnswersIsCutOffAtTheTimeLimit() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    silent.accept(); // holds the connection open, never answers
                    Thread.sleep(Long.MAX_VALUE);
                } catch (Exception closed) {
                    // the test is over
                }
            });
            HubRecommendations.Result result = recommendations(URI.create("http://127.0.0.1:"
                    + silent.getLocalPort()), 20).find(current, "llama", Duration.ofMillis(500));
            assertThat(result.models()).isEmpty();
            assertThat(result.note()).isEqualTo("hub search stopped after 0.5 s: 0 candidates checked");
        }
    }
}
