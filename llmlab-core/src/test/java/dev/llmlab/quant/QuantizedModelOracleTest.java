package dev.llmlab.quant;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files written by the quantizer load in llama.cpp and generate the same greedy text there as in llmlab, and the
 * quantized model loaded from memory (no file) generates the same text as the written file.
 */
class QuantizedModelOracleTest {
    private static final int MAX_TOKENS = 40;
    private static final String PROMPT = "Once upon a time";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = QuantTarget.class, names = {"Q8_0", "Q4_0"})
    void stories260KQuantizedHereGeneratesLikeLlamaCpp(QuantTarget target) {
        assertSameGreedyText(Fixtures.sharedFile("models/stories260K.gguf"), target);
    }

    private void assertSameGreedyText(Path source, QuantTarget target) {
        Path out = dir.resolve("quantized-" + target + ".gguf");
        try (GgufFile in = GgufFile.open(source, LoadMode.READ); ComputePool pool = ComputePool.ofThreads(2)) {
            GgufModel quantized = Quantizer.quantize(GgufModel.of(in), target, pool, Quantizer.Progress.NONE).model();
            quantized.write(out, (t, done, total) -> { });
            String fromMemory = generate(LocalModel.load(quantized, LoadOptions.defaults().withThreads(2)));
            String fromFile = generate(LocalModel.load(out, LoadOptions.defaults().withThreads(2)));
            try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(out.toString()).setCtxSize(256)
                    .setThreads(1).disableLog())) {
                String expected = oracle.complete(new InferenceParameters(PROMPT).setNPredict(MAX_TOKENS)
                        .setCachePrompt(false).setTemperature(0f).setTopK(1).setIgnoreEos(true));
                assertThat(expected).isNotBlank();
                assertThat(fromFile).as("%s: llmlab on the written file vs llama.cpp", target).isEqualTo(expected);
            }
            assertThat(fromMemory).as("%s: in memory vs written file", target).isEqualTo(fromFile);
        }
    }

    private static String generate(LocalModel model) {
        try (model; LocalGenerator generator = new LocalGenerator(model)) {
            return generator.generate(GenerationRequest.of(PROMPT, SamplingParams.greedy(), MAX_TOKENS)).text();
        }
    }
}
