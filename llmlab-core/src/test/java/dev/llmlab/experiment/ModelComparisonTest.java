package dev.llmlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelComparisonTest {

    @Test
    void runsEveryModelOnEveryPromptOneModelAtATime(@TempDir Path dir) throws IOException {
        Path tiny = TestModels.synthetic(dir, GgmlType.Q8_0);
        List<String> loaded = new ArrayList<>();
        LocalModelSource models = TestModels.source(Map.of("tiny", tiny), List.of(TestModels.STORIES, "tiny"),
                loaded);
        ExperimentParams p = new ExperimentParams(null, SamplingParams.greedy(), 60, List.of(),
                Map.of("prompts", "Once upon a time|The little dog"));
        RecordingListener listener = new RecordingListener();

        ExperimentResult r = new ModelComparison().run(new ExperimentContext(() -> {
            throw new AssertionError("model comparison makes its own generators");
        }, models, p, listener));

        assertThat(loaded).hasSize(2);
        assertThat(r.generations()).hasSize(4);
        // stories260K's greedy completions are llama.cpp's (the shared fixture)
        JsonNode cases = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json").toFile());
        assertThat(r.generations().get(0).result().text()).isEqualTo(cases.get(0).get("completion").asText());
        assertThat(r.generations().get(1).result().text()).isEqualTo(cases.get(1).get("completion").asText());
        assertThat(r.generations().get(0).label()).endsWith("· prompt 1");
        @SuppressWarnings("unchecked")
        List<ModelComparison.Row> rows = (List<ModelComparison.Row>) r.details();
        assertThat(rows).extracting(ModelComparison.Row::ref).containsExactly(TestModels.STORIES, TestModels.STORIES,
                "tiny", "tiny");
        assertThat(rows).allSatisfy(row -> assertThat(row.generatedTokens()).isPositive());
        assertThat(r.metrics()).hasSize(2);
        assertThat(listener.tables).singleElement().satisfies(t -> assertThat(t).hasSize(5));
        assertThat(models.usedFiles()).extracting(f -> f.ref()).containsExactly(TestModels.STORIES, "tiny");
    }

    @Test
    void theUsersPromptIsTheOnlyPromptUnlessPromptsAreGiven() {
        SamplingParams s = SamplingParams.greedy();
        assertThat(ModelComparison.prompts(new ExperimentParams("Hello", s, 1))).containsExactly("Hello");
        assertThat(ModelComparison.prompts(new ExperimentParams(null, s, 1))).containsExactly("Once upon a time",
                "The little dog");
        assertThat(ModelComparison.prompts(new ExperimentParams("x", s, 1, List.of(), Map.of("prompts", "a|b|c"))))
                .containsExactly("a", "b", "c");
    }
}
