package dev.llmlab.generate;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every tensor type the engine computes with, end to end against llama.cpp: a random-weight Llama written by
 * the synthetic-model writer, generated greedily by both engines.
 */
class SyntheticGreedyOracleTest {
    private static final int MAX_TOKENS = 16;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void greedyTokensMatchLlamaCpp(GgmlType type) {
        assertSameGreedyText(ModelShape.preset("tiny"), type);
    }

    /** qwen2 blocks: q/k/v biases, rotate-half RoPE, tied output head. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0"})
    void qwen2BlocksMatchLlamaCpp(GgmlType type) {
        assertSameGreedyText(ModelShape.parseDims("arch=qwen2,d=64,layers=2,heads=4,kv=2,ffn=128,vocab=512,ctx=256"),
                type);
    }

    private void assertSameGreedyText(ModelShape shape, GgmlType type) {
        Path file = dir.resolve(shape.name() + "-" + type + ".gguf");
        SyntheticModel.write(file, shape, type, 1234);
        String prompt = "the cat sat on";
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(128)
                .setThreads(1).disableLog());
             LocalModel model = LocalModel.load(file, LoadOptions.defaults().withThreads(2));
             LocalGenerator ours = new LocalGenerator(model)) {
            String expected = oracle.complete(new InferenceParameters(prompt).setNPredict(MAX_TOKENS).setCachePrompt(false)
                    .setTemperature(0f).setTopK(1).setIgnoreEos(true));
            GenerationResult actual = ours.generate(GenerationRequest.of(prompt, SamplingParams.greedy(), MAX_TOKENS));
            assertThat(actual.text()).as("%s greedy completion", type).isEqualTo(expected);
        }
    }
}
