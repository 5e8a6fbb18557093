package dev.llmlab.generate;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Greedy generation compared with llama.cpp itself (through the test-scope de.kherud:llama binding) on prompts
 * beyond the recorded fixture.
 */
class LlamaCppGreedyOracleTest {
    private static final List<String> PROMPTS = List.of(
            "Tom had a red ball",
            "The sun was shining and the birds",
            "Sara and Ben",
            "Once upon a time, there was a big dog named Max",
            "She smiled",
            "\"Can I play?\" asked the little bird.");
    private static final int MAX_TOKENS = 40;

    @Test
    void greedyTextMatchesLlamaCpp() {
        Path modelPath = Fixtures.sharedFile("models/stories260K.gguf");
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(modelPath.toString())
                .setCtxSize(256).setThreads(1).disableLog());
             LocalModel model = LocalModel.load(modelPath, LoadOptions.defaults().withThreads(1));
             LocalGenerator ours = new LocalGenerator(model)) {
            for (String prompt : PROMPTS) {
                String expected = oracle.complete(new InferenceParameters(prompt).setNPredict(MAX_TOKENS).setCachePrompt(false)
                        .setTemperature(0f).setTopK(1).setSeed(1));
                GenerationResult actual = ours.generate(GenerationRequest.of(prompt, SamplingParams.greedy(), MAX_TOKENS));
                assertThat(actual.text()).as("greedy completion of '%s'", prompt).isEqualTo(expected);
            }
        }
    }
}
