package dev.llmlab.generate;

import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.chat.ChatTemplates;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import dev.llmlab.testing.StoriesWithChatTemplate;
import dev.llmlab.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LocalGenerator#chat} on stories260K: with llama.cpp's ChatML fallback, and with a template of its own. */
class LocalGeneratorChatTest {
    private static final List<ChatMessage> CHAT = List.of(ChatMessage.system("Tell stories."),
            ChatMessage.user("Once upon a time"));

    @TempDir
    Path dir;

    @Test
    void withoutATemplateTheChatMlFallbackIsGeneratedAsAPlainPrompt() {
        try (LocalModel model = LocalModel.load(Fixtures.sharedFile("models/stories260K.gguf"),
                LoadOptions.defaults().withThreads(1));
             LocalGenerator g = new LocalGenerator(model)) {
            assertThat(model.chatTemplate().source()).isEqualTo(ChatTemplates.FALLBACK_SOURCE);
            String rendered = model.chatTemplate().render(CHAT, true);
            assertThat(rendered).endsWith("<|im_start|>assistant\n");
            GenerationResult chat = drain(g.chat(ChatRequest.of(CHAT, SamplingParams.greedy(), 30)), new ArrayList<>());
            GenerationResult plain = g.generate(GenerationRequest.of(rendered, SamplingParams.greedy(), 30)
                    .withStopStrings(List.of("<|im_end|>", "<|im_start|>")));
            assertThat(chat.text()).isEqualTo(plain.text()).isNotEmpty();
            assertThat(chat.tokenIds()).isEqualTo(plain.tokenIds());
            assertThat(chat.timings().promptTokens()).as("BOS added once, as the model asks")
                    .isEqualTo(model.tokenizer().encode(rendered, true, true).length);
        }
    }

    @Test
    void aTemplateThatWritesBosGetsNoSecondOneAndStreamsTheSameEvents() {
        Path file = StoriesWithChatTemplate.write(dir.resolve("stories-chat.gguf"));
        try (LocalModel model = LocalModel.load(file, LoadOptions.defaults().withThreads(1));
             LocalGenerator g = new LocalGenerator(model)) {
            assertThat(model.chatTemplate().source()).contains("tokenizer.chat_template");
            Tokenizer t = model.tokenizer();
            String rendered = model.chatTemplate().render(CHAT, true);
            assertThat(rendered).startsWith("<s>system: Tell stories.</s>\nuser: Once upon a time</s>\nassistant:");
            int[] ids = t.encode(rendered, false, true);
            assertThat(ids[0]).isEqualTo(t.bosId().orElseThrow());
            assertThat(ids[1]).isNotEqualTo(t.bosId().orElseThrow());
            List<GenerationEvent> events = new ArrayList<>();
            GenerationResult r = drain(g.chat(ChatRequest.of(CHAT, SamplingParams.greedy(), 20)), events);
            assertThat(r.timings().promptTokens()).isEqualTo(ids.length);
            assertThat(events.getFirst()).isInstanceOf(GenerationEvent.PromptProcessed.class);
            StringBuilder streamed = new StringBuilder();
            events.forEach(e -> {
                if (e instanceof GenerationEvent.Token tok) {
                    streamed.append(tok.text());
                } else if (e instanceof GenerationEvent.Finished f) {
                    streamed.append(f.trailingText());
                }
            });
            assertThat(streamed.toString()).isEqualTo(r.text());
            GenerationResult plain = g.generate(new GenerationRequest(rendered, SamplingParams.greedy(), 20, List.of(),
                    false));
            assertThat(r.tokenIds()).isEqualTo(plain.tokenIds());
        }
    }

    private static GenerationResult drain(GenerationStream s, List<GenerationEvent> events) {
        try (s) {
            while (s.hasNext()) {
                GenerationEvent e = s.next();
                events.add(e);
                if (e instanceof GenerationEvent.Finished f) {
                    return f.result();
                }
            }
        }
        throw new AssertionError("no Finished event");
    }
}
