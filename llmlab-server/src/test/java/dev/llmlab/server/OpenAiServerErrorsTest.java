package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.llmlab.server.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets the right status and an OpenAI-style error body, and the server keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiServerErrorsTest {
    private static final String KEY = "sk-test-key";
    private static final String MODEL = StoriesServer.MODEL_ID;
    /** A small context, so prompts and max_tokens can exceed it within the body limit. */
    private static final int CONTEXT = 128;

    private StoriesServer served;
    private HttpTestClient client;

    @BeforeAll
    void start() {
        served = new StoriesServer(ServerConfig.loopback(0).withApiKey(KEY).withMaxBodyBytes(4096), CONTEXT);
        client = served.client(KEY);
    }

    @AfterAll
    void stop() {
        served.close();
    }

    private static void assertError(HttpTestClient.Reply r, int status, String code, String param) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode e = r.error();
        assertThat(e.get("message").asText()).isNotBlank();
        assertThat(e.get("type").asText()).isNotBlank();
        assertThat(e.get("code").asText()).isEqualTo(code);
        if (param == null) {
            assertThat(e.get("param").isNull()).isTrue();
        } else {
            assertThat(e.get("param").asText()).isEqualTo(param);
        }
    }

    private void assertStillServes() {
        HttpTestClient.Reply ok = client.post("/v1/completions", json("model", MODEL, "prompt", "Once upon a time",
                "max_tokens", 60, "temperature", 0));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("choices").get(0).get("text").asText())
                .isEqualTo(StoriesServer.greedyFixture("Once upon a time"));
    }

    @Test
    void malformedJsonAndNonObjects() {
        assertError(client.post("/v1/completions", "{\"model\": \"x\", "), 400, "invalid_json", null);
        assertError(client.post("/v1/completions", "[1, 2]"), 400, "invalid_json", null);
        assertError(client.post("/v1/completions", ""), 400, "invalid_json", null);
        assertStillServes();
    }

    @Test
    void wrongTypesNameTheParameter() {
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "temperature", "hot")),
                400, "invalid_type", "temperature");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", 42)), 400, "invalid_type", "prompt");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "max_tokens", 2.5)),
                400, "invalid_type", "max_tokens");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "stop", List.of(1, 2))),
                400, "invalid_type", "stop");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "stream", "yes")),
                400, "invalid_type", "stream");
        assertError(client.post("/v1/chat/completions", json("model", MODEL, "messages", "hello")),
                400, "invalid_type", "messages");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "temperature", 5)),
                400, "invalid_value", "temperature");
        assertError(client.post("/v1/completions", json("prompt", "x")), 400, "missing_required_parameter", "model");
        assertStillServes();
    }

    @Test
    void unsupportedParametersAreRefusedNotIgnored() {
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "n", 2)),
                400, "unsupported_value", "n");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "tools", List.of())),
                400, "unsupported_parameter", "tools");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "logprobs", 3)),
                400, "unsupported_value", "logprobs");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", List.of("a", "b"))),
                400, "unsupported_value", "prompt");
        // defaults are accepted: n = 1, echo = false, logprobs = null
        assertThat(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "n", 1, "echo", false,
                "max_tokens", 2)).status()).isEqualTo(200);
    }

    @Test
    void hugeMaxTokensAndUnknownModel() {
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "max_tokens", 1_000_000_000)),
                400, "context_length_exceeded", "max_tokens");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "max_tokens", CONTEXT + 1)),
                400, "context_length_exceeded", "max_tokens");
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", "x", "max_tokens",
                Long.MAX_VALUE)), 400, "invalid_value", "max_tokens");
        assertError(client.post("/v1/completions", json("model", "gpt-4o", "prompt", "x")),
                404, "model_not_found", "model");
        assertStillServes();
    }

    @Test
    void promptLongerThanTheContextIsA400() {
        String longPrompt = "Once upon a time ".repeat(40); // 161 tokens: over the 128-token context, under 4 KiB
        assertError(client.post("/v1/completions", json("model", MODEL, "prompt", longPrompt, "max_tokens", 4)),
                400, "invalid_request", null);
        assertStillServes();
    }

    @Test
    void missingOrWrongKeyIs401ButHealthIsOpen() {
        HttpTestClient anonymous = new HttpTestClient(served.server.address(), null);
        assertError(anonymous.get("/v1/models"), 401, "missing_api_key", null);
        assertError(anonymous.post("/v1/completions", json("model", MODEL, "prompt", "x")), 401, "missing_api_key",
                null);
        assertError(new HttpTestClient(served.server.address(), "sk-wrong").get("/v1/models"), 401,
                "invalid_api_key", null);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(client.get("/v1/models").status()).isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = json("model", MODEL, "prompt", "x".repeat(10_000));
        assertError(client.post("/v1/completions", big), 413, "request_too_large", null);
        // without a Content-Length (chunked), the limit applies while reading
        HttpRequest.Builder chunked = client.request("/v1/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        assertError(client.postRaw(chunked), 413, "request_too_large", null);
        assertStillServes();
    }

    @Test
    void aPortInUseIsAClearError() {
        ServerConfig samePort = ServerConfig.loopback(served.server.port());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAiServer.start(samePort,
                        new ServedModel("ticking", 100, 0), List.of(new TickingGenerator(Duration.ZERO))))
                .isInstanceOf(dev.llmlab.error.LlmlabException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + served.server.port())
                .hasMessageContaining("--port");
        assertStillServes();
    }

    @Test
    void unknownRouteIs404WithAnErrorBody() {
        assertError(client.post("/v1/embeddings", "{}"), 404, "unknown_url", null);
    }

    @Test
    void clientThatDisconnectsMidStreamCancelsItsGeneration() throws Exception {
        TickingGenerator ticking = new TickingGenerator(Duration.ofMillis(20));
        try (OpenAiServer server = OpenAiServer.start(ServerConfig.loopback(0),
                new ServedModel("ticking", 100_000, 0), List.of(ticking))) {
            String body = json("model", "ticking", "prompt", "x", "max_tokens", 50_000, "stream", true);
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                int chunks = 0;
                String line;
                while (chunks < 3 && (line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        chunks++;
                    }
                }
                assertThat(chunks).isEqualTo(3);
            } // the client leaves mid-stream
            assertThat(ticking.cancelled.await(10, TimeUnit.SECONDS)).as("generation cancelled").isTrue();
            HttpTestClient after = new HttpTestClient(server.address(), null);
            HttpTestClient.Reply r = after.post("/v1/completions", json("model", "ticking", "prompt", "x",
                    "max_tokens", 3));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("usage").get("completion_tokens").asInt()).isEqualTo(3);
            assertThat(after.get("/metrics").body()).contains("llmlab_cancelled_generations_total 1");
        }
    }

    @Test
    void fullQueueIs429AndTheServerRecovers() throws Exception {
        TickingGenerator ticking = new TickingGenerator(Duration.ofMillis(5));
        try (OpenAiServer server = OpenAiServer.start(ServerConfig.loopback(0).withQueueCapacity(1),
                new ServedModel("ticking", 100_000, 0), List.of(ticking))) {
            HttpTestClient c = new HttpTestClient(server.address(), null);
            String slow = json("model", "ticking", "prompt", "x", "max_tokens", 200); // about 1 s each
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> c.post("/v1/completions", slow));
            waitFor(() -> c.get("/health").json().get("running").asInt() == 1);
            var queued = java.util.concurrent.CompletableFuture.supplyAsync(() -> c.post("/v1/completions", slow));
            waitFor(() -> c.get("/health").json().get("queued").asInt() == 1);
            HttpTestClient.Reply refused = c.post("/v1/completions", slow);
            assertError(refused, 429, "queue_full", null);
            assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(queued.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(c.post("/v1/completions", json("model", "ticking", "prompt", "x", "max_tokens", 2)).status())
                    .isEqualTo(200);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(10);
        }
    }
}
