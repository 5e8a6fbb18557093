package dev.llmlab.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine end to end against llama.cpp's recorded greedy completions for stories260K. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoriesGreedyTest {
    private final Path modelPath = Fixtures.sharedFile("models/stories260K.gguf");
    private LocalModel model;

    @BeforeAll
    void load() {
        model = LocalModel.load(modelPath, LoadOptions.defaults().withThreads(2));
    }

    @AfterAll
    void close() {
        model.close();
    }

    record Case(String prompt, int[] promptIds, int maxTokens, String completion) {
    }

    static List<Case> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json").toFile());
        List<Case> out = new ArrayList<>();
        for (JsonNode n : root) {
            int[] ids = new int[n.get("prompt_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = n.get("prompt_ids").get(i).asInt();
            }
            out.add(new Case(n.get("prompt").asText(), ids, n.get("max_tokens").asInt(), n.get("completion").asText()));
        }
        return out;
    }

    @Test
    void reproducesLlamaCppGreedyCompletions() throws IOException {
        try (LocalGenerator g = new LocalGenerator(model)) {
            for (Case c : cases()) {
                GenerationResult r = g.generate(GenerationRequest.of(c.prompt(), SamplingParams.greedy(), c.maxTokens()));
                assertThat(r.text()).as("completion of '%s'", c.prompt()).isEqualTo(c.completion());
                assertThat(r.tokenIds()).hasSize(c.maxTokens());
                assertThat(r.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
            }
        }
    }

    @Test
    void tokenEventsConcatenateToTheResult() {
        try (LocalGenerator g = new LocalGenerator(model);
             GenerationStream s = g.stream(GenerationRequest.of("Once upon a time", SamplingParams.defaults(), 40))) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult result = null;
            int tokens = 0;
            assertThat(s.next()).isInstanceOf(GenerationEvent.PromptProcessed.class);
            while (s.hasNext()) {
                switch (s.next()) {
                    case GenerationEvent.Token t -> {
                        assertThat(t.index()).isEqualTo(tokens++);
                        streamed.append(t.text());
                    }
                    case GenerationEvent.Finished f -> {
                        streamed.append(f.trailingText());
                        result = f.result();
                    }
                    case GenerationEvent.PromptProcessed p -> throw new AssertionError("second prompt event");
                }
            }
            assertThat(result).isNotNull();
            assertThat(streamed.toString()).isEqualTo(result.text());
            assertThat(result.tokenIds()).hasSize(tokens);
            assertThat(result.timings().promptTokens()).isEqualTo(5); // BOS + 4
        }
    }

    @Test
    void sameSeedSameTokensAndStopStringsCut() {
        try (LocalGenerator g = new LocalGenerator(model)) {
            GenerationRequest req = GenerationRequest.of("Lily", SamplingParams.defaults().withSeed(7), 50);
            GenerationResult a = g.generate(req);
            GenerationResult b = g.generate(req);
            assertThat(a.tokenIds()).isEqualTo(b.tokenIds());
            GenerationResult stopped = g.generate(GenerationRequest.of("Once upon a time", SamplingParams.greedy(), 60)
                    .withStopStrings(List.of("Lily")));
            assertThat(stopped.text()).isEqualTo(", there was a little girl named ");
            assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        }
    }

    @ParameterizedTest
    @EnumSource(LoadMode.class)
    void mappedAndReadModelsAgree(LoadMode mode) {
        try (LocalModel m = LocalModel.load(modelPath, LoadOptions.defaults().withLoadMode(mode).withThreads(1));
             LocalGenerator g = new LocalGenerator(m)) {
            GenerationResult r = g.generate(GenerationRequest.of("The little dog", SamplingParams.greedy(), 20));
            assertThat(r.text()).startsWith(" was a little girl named Lily.");
        }
    }
}
