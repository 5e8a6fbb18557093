package dev.llmlab.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static dev.llmlab.server.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** /metrics in Prometheus' text format: requests, tokens, queue, latency histograms; behind the key. */
class ServerMetricsTest {
    /** A sample line: name, optional labels, a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*})? -?[0-9.E+-]+");

    @Test
    void countsRequestsTokensAndLatencies() {
        try (OpenAiServer server = OpenAiServer.start(ServerConfig.loopback(0).withApiKey("k").withParallel(2),
                new ServedModel("ticking", 1000, 0),
                List.of(new TickingGenerator(Duration.ZERO), new TickingGenerator(Duration.ZERO)))) {
            HttpTestClient c = new HttpTestClient(server.address(), "k");
            assertThat(c.post("/v1/completions", json("model", "ticking", "prompt", "x", "max_tokens", 5)).status())
                    .isEqualTo(200);
            assertThat(c.stream("/v1/completions", json("model", "ticking", "prompt", "x", "max_tokens", 7,
                    "stream", true)).status()).isEqualTo(200);
            assertThat(c.post("/v1/completions", json("model", "nope", "prompt", "x")).status()).isEqualTo(404);
            assertThat(new HttpTestClient(server.address(), null).get("/metrics").status()).isEqualTo(401);

            String metrics = c.get("/metrics").body();
            assertThat(metrics)
                    .contains("llmlab_requests_total{route=\"/v1/completions\",status=\"200\"} 2")
                    .contains("llmlab_requests_total{route=\"/v1/completions\",status=\"404\"} 1")
                    .contains("llmlab_requests_total{route=\"/metrics\",status=\"401\"} 1")
                    .contains("llmlab_prompt_tokens_total 2")
                    .contains("llmlab_generated_tokens_total 12")
                    .contains("llmlab_streamed_tokens_total 7")
                    .contains("llmlab_queue_depth 0")
                    .contains("llmlab_running_generations 0")
                    .contains("llmlab_sessions 2")
                    .contains("llmlab_request_duration_seconds_count{route=\"/v1/completions\"} 3")
                    .contains("llmlab_time_to_first_token_seconds_bucket{le=\"+Inf\"} 2")
                    .contains("llmlab_time_to_first_token_seconds_count 2")
                    .contains("# TYPE llmlab_request_duration_seconds histogram");
            for (String line : metrics.split("\n")) {
                if (!line.startsWith("#")) {
                    assertThat(line).matches(SAMPLE);
                }
            }
        }
    }
}
