package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.llmlab.server.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded load test on loopback: 32 concurrent streaming clients against stories260K with 4 sessions. Every
 * client must receive every token in order (its text equals the greedy text computed locally) and a final usage
 * record. Time to first token is printed (p50/p99), never asserted: timings on a shared machine are noise.
 */
class StreamingLoadTest {
    private static final int CLIENTS = 32;
    private static final int PARALLEL = 4;
    private static final int MAX_TOKENS = 40;
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog",
            "Lily and Tom went to the park", "One day, a big");

    record ClientResult(String text, int chunks, JsonNode last, boolean done, long ttftNanos, long totalNanos) {
    }

    @Test
    void thirtyTwoStreamingClientsEachGetEveryTokenAndUsage() throws Exception {
        try (StoriesServer served = new StoriesServer(ServerConfig.loopback(0).withParallel(PARALLEL))) {
            List<String> expected = new ArrayList<>();
            try (LocalGenerator g = new LocalGenerator(served.model)) {
                for (String p : PROMPTS) {
                    expected.add(g.generate(GenerationRequest.of(p, SamplingParams.greedy(), MAX_TOKENS)).text());
                }
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            // warm-up (not measured): without it the JIT's first compilation of the forward pass dominates
            for (int i = 0; i < PARALLEL * 2; i++) {
                streamOne(http, served.server.address(), PROMPTS.get(i % PROMPTS.size()));
            }
            List<Future<ClientResult>> futures = new ArrayList<>();
            long start = System.nanoTime();
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                for (int i = 0; i < CLIENTS; i++) {
                    String prompt = PROMPTS.get(i % PROMPTS.size());
                    futures.add(clients.submit(() -> streamOne(http, served.server.address(), prompt)));
                }
                long[] ttft = new long[CLIENTS];
                for (int i = 0; i < CLIENTS; i++) {
                    ClientResult r = futures.get(i).get(120, TimeUnit.SECONDS);
                    assertThat(r.done()).as("client %d saw [DONE]", i).isTrue();
                    assertThat(r.text()).as("client %d text", i).isEqualTo(expected.get(i % PROMPTS.size()));
                    assertThat(r.chunks()).as("one chunk per token, then the final one").isEqualTo(MAX_TOKENS + 1);
                    assertThat(r.last().get("usage").get("completion_tokens").asInt()).isEqualTo(MAX_TOKENS);
                    assertThat(r.last().get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
                    ttft[i] = r.ttftNanos();
                }
                long wall = System.nanoTime() - start;
                Arrays.sort(ttft);
                System.out.printf(Locale.ROOT, "load test: %d streaming clients, %d sessions, %d tokens each: "
                                + "TTFT p50 %.1f ms, p99 %.1f ms, max %.1f ms; wall %.0f ms, %.0f tokens/s overall%n",
                        CLIENTS, PARALLEL, MAX_TOKENS, percentile(ttft, 50) / 1e6, percentile(ttft, 99) / 1e6,
                        ttft[CLIENTS - 1] / 1e6, wall / 1e6, CLIENTS * MAX_TOKENS / (wall / 1e9));
            }
            HttpTestClient after = served.client(null);
            assertThat(after.get("/health").json().get("running").asInt()).isZero();
            assertThat(after.get("/metrics").body())
                    .contains("llmlab_streamed_tokens_total " + (CLIENTS + PARALLEL * 2) * MAX_TOKENS);
        }
    }

    private static ClientResult streamOne(HttpClient http, String base, String prompt) throws IOException,
            InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/completions")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("model", StoriesServer.MODEL_ID, "prompt", prompt,
                        "max_tokens", MAX_TOKENS, "temperature", 0, "stream", true))).build();
        ObjectMapper mapper = new ObjectMapper();
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        long ttft = -1;
        JsonNode last = null;
        boolean done = false;
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode chunk = mapper.readTree(data);
                String piece = chunk.get("choices").get(0).get("text").asText();
                if (ttft < 0 && !piece.isEmpty()) {
                    ttft = System.nanoTime() - sent;
                }
                text.append(piece);
                chunks++;
                last = chunk;
            }
        }
        return new ClientResult(text.toString(), chunks, last, done, ttft, System.nanoTime() - sent);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
