package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatTemplate;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.llmlab.server.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The routes against stories260K; greedy text is checked against llama.cpp's recorded completions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiServerTest {
    private static final String PROMPT = "Once upon a time";

    private StoriesServer served;
    private HttpTestClient client;

    @BeforeAll
    void start() {
        served = new StoriesServer(ServerConfig.loopback(0).withParallel(2));
        client = served.client(null);
    }

    @AfterAll
    void stop() {
        served.close();
    }

    @Test
    void bindsToLoopbackAndListsTheModel() {
        assertThat(served.server.address()).startsWith("http://127.0.0.1:");
        HttpTestClient.Reply r = client.get("/v1/models");
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0).get("id").asText()).isEqualTo(StoriesServer.MODEL_ID);
        assertThat(data.get(0).get("object").asText()).isEqualTo("model");
        assertThat(client.get("/health").json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void greedyCompletionMatchesLlamaCpp() {
        HttpTestClient.Reply r = client.post("/v1/completions", json("model", StoriesServer.MODEL_ID, "prompt", PROMPT,
                "max_tokens", 60, "temperature", 0));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("text").asText()).isEqualTo(StoriesServer.greedyFixture(PROMPT));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(60);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(5); // BOS + 4 pieces
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(65);
        assertThat(body.get("llmlab_timings").get("generated_tokens").asInt()).isEqualTo(60);
        assertThat(body.get("llmlab_timings").get("ttft_ms").asDouble()).isPositive();
    }

    @Test
    void streamedCompletionSendsEveryTokenThenUsageThenDone() {
        HttpTestClient.Events events = client.stream("/v1/completions", json("model", StoriesServer.MODEL_ID,
                "prompt", PROMPT, "max_tokens", 60, "temperature", 0, "stream", true));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.data()).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = events.chunks();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.get("choices").get(0).get("text").asText()));
        assertThat(text.toString()).isEqualTo(StoriesServer.greedyFixture(PROMPT));
        assertThat(chunks).hasSize(61); // one chunk per token, then the final one
        JsonNode last = chunks.getLast();
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(last.get("usage").get("completion_tokens").asInt()).isEqualTo(60);
        assertThat(last.get("llmlab_timings").get("tokens_per_second").asDouble()).isPositive();
        assertThat(chunks.subList(0, 60)).allSatisfy(c -> {
            assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue();
            assertThat(c.has("usage")).isFalse();
            assertThat(c.get("id").asText()).isEqualTo(last.get("id").asText());
        });
    }

    @Test
    void stopStringsEndTheTextBeforeTheStop() {
        String full = StoriesServer.greedyFixture(PROMPT);
        HttpTestClient.Reply r = client.post("/v1/completions", json("model", StoriesServer.MODEL_ID, "prompt", PROMPT,
                "max_tokens", 60, "temperature", 0, "stop", List.of("Lily", "xyz")));
        JsonNode choice = r.json().get("choices").get(0);
        assertThat(choice.get("text").asText()).isEqualTo(full.substring(0, full.indexOf("Lily")));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        HttpTestClient.Reply single = client.post("/v1/completions", json("model", StoriesServer.MODEL_ID,
                "prompt", PROMPT, "max_tokens", 60, "temperature", 0, "stop", "girl"));
        assertThat(single.json().get("choices").get(0).get("text").asText())
                .isEqualTo(full.substring(0, full.indexOf("girl")));
    }

    @Test
    void seedMakesSampledTextReproducibleAndPenaltiesChangeIt() {
        String body = json("model", StoriesServer.MODEL_ID, "prompt", PROMPT, "max_tokens", 40, "temperature", 1.0,
                "top_p", 0.9, "seed", 1234);
        String a = client.post("/v1/completions", body).json().get("choices").get(0).get("text").asText();
        String b = client.post("/v1/completions", body).json().get("choices").get(0).get("text").asText();
        assertThat(a).isEqualTo(b);
        String greedy = StoriesServer.greedyFixture(PROMPT);
        String penalised = client.post("/v1/completions", json("model", StoriesServer.MODEL_ID, "prompt", PROMPT,
                "max_tokens", 60, "temperature", 0, "frequency_penalty", 2.0, "presence_penalty", 2.0))
                .json().get("choices").get(0).get("text").asText();
        assertThat(penalised).isNotEqualTo(greedy);
    }

    /** The text the plain completion path gives for the chat template's rendering of {@code user}. */
    private String completionOfRenderedChat(String user, int maxTokens) {
        ChatTemplate template = served.model.chatTemplate();
        String prompt = template.render(List.of(ChatMessage.user(user)), true);
        try (LocalGenerator g = new LocalGenerator(served.model)) {
            return g.generate(new GenerationRequest(prompt, SamplingParams.greedy(), maxTokens,
                    template.stopStrings(), null)).text();
        }
    }

    @Test
    void chatCompletionIsTheCompletionOfTheRenderedConversation() {
        String expected = completionOfRenderedChat("Tell me a story", 40);
        assertThat(expected).isNotBlank();
        String body = json("model", StoriesServer.MODEL_ID, "messages",
                List.of(java.util.Map.of("role", "user", "content", "Tell me a story")), "max_tokens", 40,
                "temperature", 0);
        HttpTestClient.Reply whole = client.post("/v1/chat/completions", body);
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        JsonNode r = whole.json();
        assertThat(r.get("object").asText()).isEqualTo("chat.completion");
        JsonNode message = r.get("choices").get(0).get("message");
        assertThat(message.get("role").asText()).isEqualTo("assistant");
        assertThat(message.get("content").asText()).isEqualTo(expected);
        assertThat(r.get("usage").get("completion_tokens").asInt()).isPositive();

        // streamed: a role chunk, one chunk per token, the final chunk with usage, [DONE]
        HttpTestClient.Events events = client.stream("/v1/chat/completions",
                body.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true"));
        assertThat(events.data()).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = events.chunks();
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.get("choices").get(0).get("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo(expected);
        assertThat(chunks.getLast().get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunks.getLast().get("usage").get("completion_tokens").asInt())
                .isEqualTo(r.get("usage").get("completion_tokens").asInt());
        // content as a list of text parts is the same conversation
        String parts = json("model", StoriesServer.MODEL_ID, "messages", List.of(java.util.Map.of("role", "user",
                "content", List.of(java.util.Map.of("type", "text", "text", "Tell me "),
                        java.util.Map.of("type", "text", "text", "a story")))), "max_tokens", 40, "temperature", 0);
        assertThat(client.post("/v1/chat/completions", parts).json().get("choices").get(0).get("message")
                .get("content").asText()).isEqualTo(expected);
    }

    @Test
    void chatRefusesWhatItCannotDo() {
        HttpTestClient.Reply image = client.post("/v1/chat/completions", json("model", StoriesServer.MODEL_ID,
                "messages", List.of(java.util.Map.of("role", "user", "content", List.of(java.util.Map.of("type",
                        "image_url", "image_url", java.util.Map.of("url", "http://x/y.png")))))));
        assertThat(image.status()).isEqualTo(400);
        assertThat(image.error().get("param").asText()).isEqualTo("messages[0].content[0]");
        HttpTestClient.Reply json = client.post("/v1/chat/completions", json("model", StoriesServer.MODEL_ID,
                "messages", List.of(java.util.Map.of("role", "user", "content", "hi")), "response_format",
                java.util.Map.of("type", "json_object")));
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.error().get("param").asText()).isEqualTo("response_format");
        HttpTestClient.Reply empty = client.post("/v1/chat/completions", json("model", StoriesServer.MODEL_ID,
                "messages", List.of()));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error().get("param").asText()).isEqualTo("messages");
    }

    @Test
    void maxTokensDefaultsToSixteenAsOpenAiDoes() {
        JsonNode body = client.post("/v1/completions", json("model", StoriesServer.MODEL_ID, "prompt", PROMPT,
                "temperature", 0)).json();
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(16);
    }
}
