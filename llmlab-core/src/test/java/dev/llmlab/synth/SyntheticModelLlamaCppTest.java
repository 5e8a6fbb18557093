package dev.llmlab.synth;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.gguf.GgmlType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Synthetic models load and run in llama.cpp itself (test-scope de.kherud:llama binding). */
class SyntheticModelLlamaCppTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "'';F32;9", "'';F16;9", "'';BF16;9", "'';Q8_0;9", "'';Q4_0;9",
            "arch=qwen2,heads=4,kv=2;Q8_0;9",
            "arch=gpt2,d=128,heads=4;Q4_0;9",
            // 300 tokens leave 41 normal pieces: mostly single characters
            "d=96,heads=3,kv=1,ffn=100,vocab=300;Q4_0;15"})
    void llamaCppLoadsTokenizesAndGenerates(String dims, GgmlType type, int maxTokens) {
        Path file = dir.resolve("synthetic.gguf");
        SyntheticModel.write(file, ModelShape.parseDims(dims), type, 11);
        try (LlamaModel model = new LlamaModel(new ModelParameters().setModel(file.toString())
                .setCtxSize(128).setThreads(1).disableLog())) {
            int[] ids = model.encode("the little dog");
            // "▁the" and "▁little" are pieces in 512-token vocabularies: merges must reach them.
            assertThat(ids).isNotEmpty().hasSizeLessThanOrEqualTo(maxTokens);
            assertThat(model.decode(ids)).isIn("the little dog", " the little dog");
            String text = model.complete(new InferenceParameters("Once upon a time").setNPredict(4)
                    .setTemperature(0f).setTopK(1).setSeed(1));
            assertThat(text).isNotNull();
        }
    }
}
