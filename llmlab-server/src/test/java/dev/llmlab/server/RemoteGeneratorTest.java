package dev.llmlab.server;

import com.sun.net.httpserver.HttpServer;
import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.experiment.BasicGeneration;
import dev.llmlab.experiment.ExperimentContext;
import dev.llmlab.experiment.ExperimentListener;
import dev.llmlab.experiment.ExperimentParams;
import dev.llmlab.experiment.ExperimentResult;
import dev.llmlab.experiment.GeneratorSource;
import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.remote.OpenAiEndpoint;
import dev.llmlab.remote.OpenAiRemoteGenerator;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** llmlab's remote backend against llmlab serve: the same experiment as the local engine, fallbacks, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteGeneratorTest {
    private static final String KEY = "sk-remote-test";

    private StoriesServer served;

    @BeforeAll
    void start() {
        served = new StoriesServer(ServerConfig.loopback(0).withApiKey(KEY));
    }

    @AfterAll
    void stop() {
        served.close();
    }

    private OpenAiRemoteGenerator remote(String key) {
        return new OpenAiRemoteGenerator(OpenAiEndpoint.parse("openai:" + served.server.address() + "/v1#"
                + StoriesServer.MODEL_ID, key));
    }

    /** Experiment 1 through the experiment API, recording the events it saw. */
    private static ExperimentResult experimentOne(GeneratorSource source, List<GenerationEvent> events) {
        ExperimentParams params = new ExperimentParams(null, SamplingParams.greedy(), 60);
        return new BasicGeneration().run(new ExperimentContext(source, params, new ExperimentListener() {
            @Override
            public void generationStarted(String label, GenerationRequest request) {
            }

            @Override
            public void generationEvent(GenerationEvent event) {
                events.add(event);
            }
        }));
    }

    @Test
    void experimentOneGivesTheLocalEnginesResult() {
        List<GenerationEvent> localEvents = new ArrayList<>();
        List<GenerationEvent> remoteEvents = new ArrayList<>();
        GenerationResult local;
        try (LocalGenerator g = new LocalGenerator(served.model)) {
            local = experimentOne(GeneratorSource.of(g), localEvents).generations().getFirst().result();
        }
        GenerationResult remote;
        try (OpenAiRemoteGenerator g = remote(KEY)) {
            remote = experimentOne(GeneratorSource.of(g), remoteEvents).generations().getFirst().result();
        }
        assertThat(local.text()).isEqualTo(StoriesServer.greedyFixture(BasicGeneration.DEFAULT_PROMPT));
        assertThat(remote.text()).isEqualTo(local.text());
        assertThat(remote.finishReason()).isEqualTo(local.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
        assertThat(remote.backend()).isEqualTo("openai:" + served.server.address() + "/v1#stories260K");
        assertThat(remote.notes()).isEmpty();
        // the same timing record: counts from the server's usage, times measured on the client
        assertThat(remote.timings().generatedTokens()).isEqualTo(60);
        assertThat(remote.timings().promptTokens()).isEqualTo(local.timings().promptTokens());
        assertThat(remote.timings().timeToFirstToken()).isPositive();
        assertThat(remote.timings().tokensPerSecond()).isPositive();
        assertThat(remote.timings().total()).isGreaterThanOrEqualTo(remote.timings().timeToFirstToken());
        // the same event sequence: prompt processed, one event per token, finished
        assertThat(remoteEvents.getFirst()).isInstanceOf(GenerationEvent.PromptProcessed.class);
        assertThat(remoteEvents.getLast()).isInstanceOf(GenerationEvent.Finished.class);
        assertThat(remoteEvents.stream().filter(e -> e instanceof GenerationEvent.Token).count())
                .isEqualTo(localEvents.stream().filter(e -> e instanceof GenerationEvent.Token t
                        && !t.text().isEmpty()).count());
    }

    @Test
    void chatThroughTheServerEqualsTheLocalChat() {
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.system("You tell stories."),
                ChatMessage.user("Tell me a story")), SamplingParams.greedy(), 40);
        GenerationResult local;
        try (LocalGenerator g = new LocalGenerator(served.model)) {
            local = drain(g.chat(request));
        }
        GenerationResult remote;
        try (OpenAiRemoteGenerator g = remote(KEY)) {
            remote = drain(g.chat(request));
        }
        assertThat(local.text()).isNotBlank();
        assertThat(remote.text()).isEqualTo(local.text());
        assertThat(remote.timings().generatedTokens()).isEqualTo(local.timings().generatedTokens());
    }

    private static GenerationResult drain(GenerationStream stream) {
        try (stream) {
            while (stream.hasNext()) {
                if (stream.next() instanceof GenerationEvent.Finished f) {
                    return f.result();
                }
            }
        }
        throw new AssertionError("no result");
    }

    @Test
    void wrongKeyAndUnknownModelAreClearErrors() {
        GenerationRequest request = GenerationRequest.of("Once", SamplingParams.greedy(), 4);
        try (OpenAiRemoteGenerator g = remote("sk-wrong")) {
            assertThatThrownBy(() -> g.generate(request)).isInstanceOf(LlmlabException.class)
                    .hasMessageContaining("HTTP 401").hasMessageContaining("OPENAI_API_KEY");
        }
        try (OpenAiRemoteGenerator g = new OpenAiRemoteGenerator(OpenAiEndpoint.parse("openai:"
                + served.server.address() + "/v1#gpt-4o", KEY))) {
            assertThatThrownBy(() -> g.generate(request)).isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("gpt-4o");
        }
        try (OpenAiRemoteGenerator g = new OpenAiRemoteGenerator(OpenAiEndpoint.parse(
                "openai:http://127.0.0.1:1/v1#x", null))) {
            assertThatThrownBy(() -> g.generate(request)).isInstanceOf(LlmlabException.class)
                    .hasMessageContaining("cannot connect");
        }
    }

    @Test
    void refParsingNamesWhatIsMissing() {
        OpenAiEndpoint e = OpenAiEndpoint.parse("openai:http://10.0.0.5:8000/v1/#my-model", "k");
        assertThat(e.baseUrl().toString()).isEqualTo("http://10.0.0.5:8000/v1");
        assertThat(e.model()).isEqualTo("my-model");
        assertThat(e.toString()).doesNotContain("k#").isEqualTo("openai:http://10.0.0.5:8000/v1#my-model");
        assertThatThrownBy(() -> OpenAiEndpoint.parse("openai:http://host/v1", null)).hasMessageContaining("#model-name");
        assertThatThrownBy(() -> OpenAiEndpoint.parse("openai:ftp://host/v1#m", null)).hasMessageContaining("http(s)");
        assertThat(OpenAiEndpoint.isRef("openai:http://x/v1#m")).isTrue();
        assertThat(OpenAiEndpoint.isRef("org/repo")).isFalse();
    }

    @Test
    void closingTheStreamCancelsTheServersGeneration() throws Exception {
        TickingGenerator ticking = new TickingGenerator(Duration.ofMillis(20));
        try (OpenAiServer server = OpenAiServer.start(ServerConfig.loopback(0), new ServedModel("ticking", 100_000, 0),
                List.of(ticking));
             OpenAiRemoteGenerator g = new OpenAiRemoteGenerator(OpenAiEndpoint.parse("openai:" + server.address()
                     + "/v1#ticking", null))) {
            try (GenerationStream s = g.stream(GenerationRequest.of("x", SamplingParams.greedy(), 50_000))) {
                assertThat(s.next()).isInstanceOf(GenerationEvent.PromptProcessed.class);
                assertThat(((GenerationEvent.Token) s.next()).text()).isEqualTo("t0 ");
                assertThat(((GenerationEvent.Token) s.next()).text()).isEqualTo("t1 ");
            }
            assertThat(ticking.cancelled.await(10, TimeUnit.SECONDS)).as("server-side generation cancelled").isTrue();
        }
    }

    @Test
    void aServerThatCannotStreamIsAskedOnceMoreWithoutStreaming() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = fakeServer(requests, false);
        try (OpenAiRemoteGenerator g = new OpenAiRemoteGenerator(OpenAiEndpoint.parse("openai:http://127.0.0.1:"
                + fake.getAddress().getPort() + "/v1#fake", null))) {
            GenerationResult r = g.generate(GenerationRequest.of("x", SamplingParams.greedy(), 8));
            assertThat(r.text()).isEqualTo("a whole reply");
            assertThat(r.timings().generatedTokens()).isEqualTo(3);
            assertThat(r.notes()).singleElement().asString().contains("answered HTTP 400 to a streaming request")
                    .contains("retried once without streaming");
            assertThat(requests.get()).isEqualTo(2);
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aStreamThatBreaksBeforeTheFirstTokenIsRetriedWithoutStreaming() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = fakeServer(requests, true);
        try (OpenAiRemoteGenerator g = new OpenAiRemoteGenerator(OpenAiEndpoint.parse("openai:http://127.0.0.1:"
                + fake.getAddress().getPort() + "/v1#fake", null))) {
            GenerationResult r = g.generate(GenerationRequest.of("x", SamplingParams.greedy(), 8));
            assertThat(r.text()).isEqualTo("a whole reply");
            assertThat(r.notes()).singleElement().asString().contains("before the first token");
            assertThat(requests.get()).isEqualTo(2);
        } finally {
            fake.stop(0);
        }
    }

    /**
     * A server that refuses to stream (HTTP 400 naming "stream") or, with {@code breakStream}, starts an event
     * stream and ends it at once; without streaming it answers a whole completion.
     */
    private static HttpServer fakeServer(AtomicInteger requests, boolean breakStream) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/v1/completions", exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean stream = body.contains("\"stream\":true");
            byte[] reply;
            if (stream && breakStream) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.close();
                return;
            } else if (stream) {
                reply = "{\"error\":{\"message\":\"stream is not supported\",\"type\":\"invalid_request_error\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(400, reply.length);
            } else {
                reply = ("{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"a whole reply\","
                        + "\"index\":0,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2,"
                        + "\"completion_tokens\":3,\"total_tokens\":5}}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, reply.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        s.start();
        return s;
    }
}
