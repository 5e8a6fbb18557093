package dev.llmlab.cli.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesViewTest {

    @Test
    void oneObjectPerTokenThenTheResult() throws Exception {
        UiFixtures.Capture out = new UiFixtures.Capture();
        JsonLinesView view = new JsonLinesView(out.stream);
        view.modelLoaded(UiFixtures.modelInfo());
        view.generationStarted("", GenerationRequest.of("Hi", SamplingParams.greedy(), 2));
        view.generationEvent(new GenerationEvent.PromptProcessed(5, Duration.ofMillis(10)));
        view.generationEvent(new GenerationEvent.Token(0, 7, "a \"quoted\"\n", Duration.ZERO));
        view.generationEvent(new GenerationEvent.Token(1, 8, "é", Duration.ZERO));
        view.generationEvent(UiFixtures.finished("a \"quoted\"\né", 2, ""));

        String[] lines = out.text().split("\n");
        assertThat(lines).hasSize(3);
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(mapper.readTree(line));
        }
        assertThat(nodes.get(0).get("type").asText()).isEqualTo("token");
        assertThat(nodes.get(0).get("index").asInt()).isZero();
        assertThat(nodes.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(nodes.get(0).get("text").asText()).isEqualTo("a \"quoted\"\n");
        JsonNode result = nodes.get(2);
        assertThat(result.get("type").asText()).isEqualTo("result");
        assertThat(result.get("text").asText()).isEqualTo("a \"quoted\"\né");
        assertThat(result.get("token_ids")).hasSize(2);
        assertThat(result.get("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(result.get("generated_tokens").asInt()).isEqualTo(2);
        assertThat(result.get("ttft_ms").asDouble()).isEqualTo(12.0);
        assertThat(result.get("prompt_tokens_per_second").asDouble()).isEqualTo(500.0);
        assertThat(result.get("tokens_per_second").asDouble()).isEqualTo(10.0);
        assertThat(result.get("finish_reason").asText()).isEqualTo("max_tokens");
        assertThat(result.get("model").asText()).isEqualTo("stories260K");
    }
}
