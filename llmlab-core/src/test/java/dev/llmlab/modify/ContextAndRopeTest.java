package dev.llmlab.modify;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.RopeScaling;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RoPE scaling written as GGUF keys / rope_freqs: llmlab and llama.cpp read the same scaling (same greedy text). */
class ContextAndRopeTest extends OnStories {
    private static final String PROMPT = "Once upon a time, there was a little girl named Lily. She";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"linear:4", "llama3:8:1:4:16"})
    void scaledModelsGenerateLikeLlamaCpp(String spec) {
        GgufModel scaled = SetRopeScaling.parse(spec, stories).andThen(new SetContextLength(4096)).apply(stories);
        Path out = dir.resolve("scaled.gguf");
        scaled.write(out, (t, d, n) -> { });
        String ours;
        try (LocalModel m = LocalModel.load(out, LoadOptions.defaults().withThreads(1).withContextLength(256));
             LocalGenerator g = new LocalGenerator(m)) {
            assertThat(m.config().contextLength()).isEqualTo(4096);
            assertThat(m.config().ropeScaling()).isInstanceOf(spec.startsWith("linear")
                    ? RopeScaling.Linear.class : RopeScaling.FrequencyFactors.class);
            ours = g.generate(GenerationRequest.of(PROMPT, SamplingParams.greedy(), 40)).text();
        }
        String unscaled;
        try (LocalModel m = LocalModel.load(stories, LoadOptions.defaults().withThreads(1).withContextLength(256));
             LocalGenerator g = new LocalGenerator(m)) {
            unscaled = g.generate(GenerationRequest.of(PROMPT, SamplingParams.greedy(), 40)).text();
        }
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(out.toString()).setCtxSize(256)
                .setThreads(1).disableLog())) {
            String expected = oracle.complete(new InferenceParameters(PROMPT).setNPredict(40).setCachePrompt(false)
                    .setTemperature(0f).setTopK(1).setSeed(1));
            assertThat(ours).as(spec).isEqualTo(expected);
        }
        assertThat(ours).as("%s changes the text", spec).isNotEqualTo(unscaled);
    }

    @Test
    void scalingNoneRemovesWhatWasSetAndYarnIsRefused() {
        GgufModel linear = SetRopeScaling.parse("linear:2", stories).apply(stories);
        assertThat(linear.metadata()).containsKey("llama.rope.scaling.type");
        GgufModel llama3 = SetRopeScaling.parse("llama3:8", linear).apply(linear);
        assertThat(llama3.metadata()).doesNotContainKey("llama.rope.scaling.type");
        assertThat(llama3.tensor("rope_freqs.weight")).isPresent();
        GgufModel none = SetRopeScaling.parse("none", llama3).apply(llama3);
        assertThat(ModelDigest.of(none)).isEqualTo(ModelDigest.of(stories));
        assertThatThrownBy(() -> SetRopeScaling.parse("yarn:4", stories)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("does not compute YaRN");
        assertThatThrownBy(() -> SetRopeScaling.parse("linear:x", stories)).hasMessageContaining("not a number");
    }
}
