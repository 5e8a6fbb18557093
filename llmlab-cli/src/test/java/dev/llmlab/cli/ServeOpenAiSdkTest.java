package dev.llmlab.cli;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatTemplate;
import dev.llmlab.chat.ChatTemplates;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK against `llmlab serve`: it must read every response, and greedy text must be
 * what `llmlab generate` prints (which matches llama.cpp's recorded completions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeOpenAiSdkTest {
    private static final String MODEL_FILE = Fixtures.sharedFile("models/stories260K.gguf").toString();
    private static final String KEY = "sk-llmlab-test";
    private static final String PROMPT = "Once upon a time";

    private RunningServe serve;
    private OpenAIClient client;

    @BeforeAll
    void start() throws InterruptedException {
        serve = new RunningServe(CliRun.sharedModelsEnv(), "--model", MODEL_FILE, "--api-key", KEY,
                "--parallel", "2", "--threads", "1");
        client = sdk(KEY);
    }

    @AfterAll
    void stop() throws InterruptedException {
        int code = serve.stop();
        assertThat(code).as(serve.err()).isZero();
        assertThat(serve.out()).contains("stopped");
    }

    private OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(serve.baseUrl).apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    /** What `llmlab generate` prints for the prompt, greedy. */
    private static String generateCommand(String prompt, int maxTokens) {
        CliRun run = CliRun.plain("generate", "--model", MODEL_FILE, "--prompt", prompt, "--temperature", "0",
                "--max-tokens", String.valueOf(maxTokens), "--seed", "7", "--threads", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    private static String llamaCppGreedy(String prompt) {
        try {
            for (JsonNode c : new ObjectMapper().readTree(
                    Fixtures.sharedFile("fixtures/stories260K-greedy.json").toFile())) {
                if (c.get("prompt").asText().equals(prompt)) {
                    return c.get("completion").asText();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no fixture for " + prompt);
    }

    @Test
    void bannerNamesTheAddressAndRoutes() {
        assertThat(serve.out()).contains("Serving stories260K at http://127.0.0.1:")
                .contains("POST /v1/chat/completions").contains("GET /metrics").contains("API key required");
    }

    @Test
    void listsTheModel() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly("stories260K");
    }

    @Test
    void greedyCompletionEqualsTheGenerateCommand() {
        String expected = generateCommand(PROMPT, 60);
        Completion c = client.completions().create(CompletionCreateParams.builder().model("stories260K")
                .prompt(PROMPT).maxTokens(60).temperature(0.0).seed(7).build());
        assertThat(c.choices().getFirst().text()).isEqualTo(expected);
        assertThat(expected).isEqualTo(llamaCppGreedy(PROMPT)); // and both are llama.cpp's text
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(60);
    }

    @Test
    void streamedCompletionEqualsTheGenerateCommand() {
        String expected = generateCommand("The little dog", 40);
        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                .model("stories260K").prompt("The little dog").maxTokens(40).temperature(0.0).seed(7).build())) {
            stream.stream().forEach(chunk -> text.append(chunk.choices().getFirst().text()));
        }
        assertThat(text.toString()).isEqualTo(expected);
    }

    @Test
    void streamedChatEqualsTheGenerateCommandOnTheRenderedConversation() {
        // stories260K has no chat template: the ChatML fallback renders the conversation and its end tokens stop it
        ChatTemplate template = ChatTemplates.chatMl();
        String rendered = template.render(List.of(ChatMessage.user("Tell me a story")), true);
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", MODEL_FILE, "--prompt", rendered,
                "--temperature", "0", "--max-tokens", "40", "--threads", "1"));
        template.stopStrings().forEach(s -> args.addAll(List.of("--stop", s)));
        CliRun generate = CliRun.plain(args.toArray(String[]::new));
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).isNotBlank();

        StringBuilder text = new StringBuilder();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("stories260K")
                .addUserMessage("Tell me a story").maxCompletionTokens(40).temperature(0.0).seed(7).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo(generate.out());
        ChatCompletion whole = client.chat().completions().create(params);
        assertThat(whole.choices().getFirst().message().content()).contains(generate.out());
    }

    @Test
    void sdkSeesErrorsAsItsTypedExceptions() {
        assertThatThrownBy(() -> sdk("sk-wrong").models().list()).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("incorrect API key");
        assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("gpt-4o")
                .prompt(PROMPT).build())).isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-4o");
    }
}
