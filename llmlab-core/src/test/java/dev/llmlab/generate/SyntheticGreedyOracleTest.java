package dev.llmlab.generate;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.gguf.TensorSource;
import dev.llmlab.model.RopeScaling;
import org.junit.jupiter.api.Test;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.testing.SharpAttention;
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

    /** gpt2 blocks: LayerNorm with biases, learned positions, fused q/k/v, biases everywhere, GELU, tied head. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0"})
    void gpt2BlocksMatchLlamaCpp(GgmlType type) {
        assertSameGreedyText(ModelShape.parseDims("arch=gpt2,d=64,layers=2,heads=4,ffn=256,vocab=512,ctx=128"), type);
    }

    /**
     * GGUF rope.scaling.type = linear: positions divided by the factor. (Seed chosen so that greedy decoding meets no
     * EOS, which llama.cpp's ignore-EOS would skip and llmlab would stop at.)
     */
    @Test
    void linearRopeScalingMatchesLlamaCpp() {
        ModelShape shape = ModelShape.preset("tiny");
        Path file = dir.resolve("linear-rope.gguf");
        GgufWriter base = SyntheticModel.writer(shape, GgmlType.F32, 77);
        GgufWriter.Builder b = SharpAttention.copy(base)
                .putString("llama.rope.scaling.type", "linear").putFloat32("llama.rope.scaling.factor", 4f);
        b.build().write(file);
        assertSameGreedyText(file, "linear rope scaling");
    }

    /** Llama 3 rope scaling as GGUF stores it: per-frequency divisors in rope_freqs.weight. */
    @Test
    void llama3RopeFrequencyFactorsMatchLlamaCpp() {
        ModelShape shape = ModelShape.preset("tiny");
        int headDim = shape.embeddingLength() / shape.headCount();
        RopeScaling.Llama3 llama3 = new RopeScaling.Llama3(8f, 1f, 4f, 64);
        float[] factors = new float[headDim / 2];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) llama3.divisor(Math.pow(10_000, -2.0 * i / headDim));
        }
        assertThat(factors).contains(1f, 8f); // both ends of the scale and something between
        Path file = dir.resolve("llama3-rope.gguf");
        GgufWriter base = SyntheticModel.writer(shape, GgmlType.F32, 1234);
        GgufWriter.Builder b = SharpAttention.copy(base);
        b.tensor("rope_freqs.weight", GgmlType.F32, new long[]{factors.length}, TensorSource.ofFloats(factors));
        b.build().write(file);
        assertSameGreedyText(file, "llama3 rope_freqs");
    }

    private void assertSameGreedyText(ModelShape shape, GgmlType type) {
        Path file = dir.resolve(shape.name() + "-" + type + ".gguf");
        SyntheticModel.write(file, shape, type, 1234);
        assertSameGreedyText(file, String.valueOf(type));
    }

    private void assertSameGreedyText(Path file, String what) {
        String prompt = "the cat sat on";
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(128)
                .setThreads(1).disableLog());
             LocalModel model = LocalModel.load(file, LoadOptions.defaults().withThreads(2));
             LocalGenerator ours = new LocalGenerator(model)) {
            String expected = oracle.complete(new InferenceParameters(prompt).setNPredict(MAX_TOKENS).setCachePrompt(false)
                    .setTemperature(0f).setTopK(1).setIgnoreEos(true));
            GenerationResult actual = ours.generate(GenerationRequest.of(prompt, SamplingParams.greedy(), MAX_TOKENS));
            assertThat(actual.text()).as("%s greedy completion", what).isEqualTo(expected);
        }
    }
}
