package dev.llmlab.experiment;

import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.testing.Fixtures;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatWithSystemPromptTest {

    /** A backend that formats chats its own way: records the conversation, then generates scripted pieces. */
    private static final class ChattingGenerator extends ScriptedGeneratorDelegate {
        final List<ChatRequest> chats = new ArrayList<>();

        @Override
        public GenerationStream chat(ChatRequest request) {
            chats.add(request);
            return stream(GenerationRequest.of("<rendered>", request.sampling(), request.maxTokens()));
        }
    }

    @Test
    void sendsTheSystemPromptAndTheUsersMessageToTheBackendsChat() {
        ChattingGenerator generator = new ChattingGenerator();
        RecordingListener listener = new RecordingListener();
        ExperimentParams p = new ExperimentParams("Hi there", SamplingParams.greedy().withSeed(3), 16, List.of("\n"),
                Map.of("system", "Be brief."));

        ExperimentResult r = new ChatWithSystemPrompt().run(new ExperimentContext(GeneratorSource.of(generator), p,
                listener));

        assertThat(generator.chats).singleElement().satisfies(c -> {
            assertThat(c.messages()).containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("Hi there"));
            assertThat(c.maxTokens()).isEqualTo(16);
            assertThat(c.stopStrings()).containsExactly("\n");
            assertThat(c.sampling().seed()).isEqualTo(3);
        });
        assertThat(listener.requests).singleElement()
                .satisfies(shown -> assertThat(shown.prompt()).isEqualTo("[system] Be brief.\n[user] Hi there"));
        assertThat(r.generations()).singleElement().satisfies(g -> assertThat(g.result().text()).isEqualTo("ok!"));
        assertThat(r.metrics()).containsEntry("reply_tokens", 2.0);
    }

    @Test
    void aBackendWithoutChatFormattingSaysSo() {
        ScriptedGenerator plain = new ScriptedGenerator("x");
        ExperimentParams p = new ExperimentParams(null, SamplingParams.greedy(), 4);
        assertThatThrownBy(() -> new ChatWithSystemPrompt().run(new ExperimentContext(GeneratorSource.of(plain), p,
                ExperimentListener.silent()))).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("chat template");
    }

    @Test
    void onStoriesThePromptIsTheModelsTemplateRenderingOfTheConversation() {
        try (LocalModel model = LocalModel.load(Fixtures.sharedFile("models/stories260K.gguf"),
                LoadOptions.defaults().withThreads(2).withContextLength(256));
             LocalGenerator generator = new LocalGenerator(model)) {
            ExperimentParams p = new ExperimentParams("Hello", SamplingParams.greedy(), 12, List.of(),
                    Map.of("system", "Tell stories."));
            ExperimentResult r = new ChatWithSystemPrompt().run(new ExperimentContext(GeneratorSource.of(generator),
                    p, ExperimentListener.silent()));

            String rendered = model.chatTemplate().render(List.of(ChatMessage.system("Tell stories."),
                    ChatMessage.user("Hello")), true);
            assertThat(rendered).contains("Tell stories.").contains("Hello");
            int[] ids = model.tokenizer().encode(rendered, false, true);
            int promptTokens = r.generations().getFirst().result().timings().promptTokens();
            assertThat(promptTokens).as("the template's text, with BOS when the model adds one")
                    .isBetween(ids.length, ids.length + 1);
            assertThat(promptTokens).isGreaterThan(model.tokenizer().encode("Hello", true, false).length + 5);
            GenerationResult direct = generator.generate(GenerationRequest.of("Hello", SamplingParams.greedy(), 12));
            assertThat(r.generations().getFirst().result().tokenIds()).hasSize(12)
                    .as("the chat reply is not the plain completion of the user's text")
                    .isNotEqualTo(direct.tokenIds());
        }
    }

    /** ScriptedGenerator is final: reuse it by delegation. */
    private static class ScriptedGeneratorDelegate implements dev.llmlab.generate.Generator {
        private final ScriptedGenerator scripted = new ScriptedGenerator("ok", "!");

        @Override
        public String describe() {
            return "chatting";
        }

        @Override
        public GenerationStream stream(GenerationRequest request) {
            return scripted.stream(request);
        }

        @Override
        public void close() {
        }
    }
}
