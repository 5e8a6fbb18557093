package dev.llmlab.modify;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.quant.QuantTarget;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerModifiersTest extends OnStories {

    @TempDir
    Path dir;

    @Test
    void addedTokensGetMeanRowsAndTheModelStillRunsLikeLlamaCpp() {
        GgufModel out = new AddTokens(List.of("<|user|>", "<|assistant|>"), true).apply(stories);
        for (String name : List.of("token_embd.weight", "output.weight")) {
            GgufModel.Tensor before = stories.tensor(name).orElseThrow();
            GgufModel.Tensor after = out.tensor(name).orElseThrow();
            assertThat(after.shape()).containsExactly(64, 514);
            float[] old = ModelDigest.floats(before);
            float[] now = ModelDigest.floats(after);
            for (int c = 0; c < 64; c++) {
                double mean = 0;
                for (int r = 0; r < 512; r++) {
                    mean += old[r * 64 + c];
                }
                mean /= 512;
                assertThat(now[512 * 64 + c]).as("%s column %d", name, c).isCloseTo((float) mean,
                        org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(now[513 * 64 + c]).isEqualTo(now[512 * 64 + c]);
            }
            assertThat(java.util.Arrays.copyOf(now, old.length)).isEqualTo(old);
        }
        Path written = dir.resolve("tokens.gguf");
        out.write(written, (t, d, n) -> { });
        String ours;
        try (LocalModel m = LocalModel.load(written, LoadOptions.defaults().withThreads(1));
             LocalGenerator g = new LocalGenerator(m)) {
            assertThat(m.tokenizer().vocabSize()).isEqualTo(514);
            assertThat(m.tokenizer().encode("<|user|>Hi", false, true)[0]).isEqualTo(512);
            ours = g.generate(GenerationRequest.of("Tom had", SamplingParams.greedy(), 30)).text();
        }
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(written.toString()).setCtxSize(256)
                .setThreads(1).disableLog())) {
            assertThat(oracle.encode("<|assistant|>")).contains(513);
            String expected = oracle.complete(new InferenceParameters("Tom had").setNPredict(30)
                    .setCachePrompt(false).setTemperature(0f).setTopK(1).setSeed(1));
            assertThat(ours).isEqualTo(expected);
        }
    }

    @Test
    void quantizedEmbeddingsGrowInTheirType() {
        GgufModel q8 = Quantize.all(QuantTarget.Q8_0, 1).apply(stories);
        GgufModel out = new AddTokens(List.of("<pad>"), true).apply(q8);
        GgufModel.Tensor embd = out.tensor("token_embd.weight").orElseThrow();
        assertThat(embd.type()).isEqualTo(GgmlType.Q8_0);
        float[] row = new float[64];
        ScalarKernels.decode(GgmlType.Q8_0, embd.data(), 512 * GgmlType.Q8_0.bytesFor(64), row, 0, 64);
        float[] all = new float[64 * 512];
        ScalarKernels.decode(GgmlType.Q8_0, q8.tensor("token_embd.weight").orElseThrow().data(), 0, all, 0, all.length);
        double mean0 = 0;
        for (int r = 0; r < 512; r++) {
            mean0 += all[r * 64];
        }
        assertThat(row[0]).isCloseTo((float) (mean0 / 512), org.assertj.core.data.Offset.offset(0.01f));
    }

    @Test
    void padTokenIsAnExistingTokenOrANewSpecialOne() {
        GgufModel existing = new SetPadToken("</s>").apply(stories);
        assertThat(existing.metadata().get("tokenizer.ggml.padding_token_id").value()).isEqualTo(2L);
        assertThat(existing.tensor("token_embd.weight").orElseThrow().data())
                .isSameAs(stories.tensor("token_embd.weight").orElseThrow().data());
        GgufModel added = new SetPadToken("<pad>").apply(stories);
        assertThat(added.metadata().get("tokenizer.ggml.padding_token_id").value()).isEqualTo(512L);
        assertThat(added.tensor("token_embd.weight").orElseThrow().shape()).containsExactly(64, 513);
        assertThatThrownBy(() -> new AddTokens(List.of("</s>"), true).check(stories))
                .hasMessageContaining("token '</s>' is already in 'tokenizer.ggml.tokens' (id 2)");
    }
}
