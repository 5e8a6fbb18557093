package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SyntheticModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void tinyModelReadsBackWithTheExpectedTensorsTypesAndMetadata(GgmlType type) {
        ModelShape shape = ModelShape.preset("tiny");
        Path file = dir.resolve("tiny-" + type + ".gguf");
        SyntheticModel.write(file, shape, type, 42);

        try (GgufFile gguf = GgufFile.open(file, LoadMode.READ)) {
            List<SyntheticModel.PlannedTensor> plan = SyntheticModel.tensorPlan(shape, type);
            assertThat(gguf.tensors().keySet())
                    .containsExactlyElementsOf(plan.stream().map(SyntheticModel.PlannedTensor::name).toList());
            for (SyntheticModel.PlannedTensor t : plan) {
                GgufTensorInfo info = gguf.tensor(t.name()).orElseThrow();
                assertThat(info.shape()).as(t.name()).containsExactly(t.shape());
                assertThat(info.type()).as(t.name()).isEqualTo(t.role() == SyntheticModel.Role.NORM ? GgmlType.F32 : type);
            }
            assertThat(gguf.tensors()).hasSize(3 + 2 * 9);
            assertThat(gguf.tensor("blk.1.attn_k.weight").orElseThrow().shape()).containsExactly(64, 32);
            assertThat(gguf.tensor("blk.0.ffn_down.weight").orElseThrow().shape()).containsExactly(128, 64);
            assertThat(gguf.tensor("output.weight")).isPresent();

            GgufMetadata m = gguf.metadata();
            assertThat(m.string("general.architecture")).isEqualTo("llama");
            assertThat(m.count("general.file_type")).isEqualTo(SyntheticModel.fileType(type));
            assertThat(m.count("llama.vocab_size")).isEqualTo(512);
            assertThat(m.count("llama.context_length")).isEqualTo(256);
            assertThat(m.count("llama.embedding_length")).isEqualTo(64);
            assertThat(m.count("llama.block_count")).isEqualTo(2);
            assertThat(m.count("llama.feed_forward_length")).isEqualTo(128);
            assertThat(m.count("llama.attention.head_count")).isEqualTo(4);
            assertThat(m.count("llama.attention.head_count_kv")).isEqualTo(2);
            assertThat(m.count("llama.rope.dimension_count")).isEqualTo(16);
            assertThat(m.float32("llama.rope.freq_base")).isEqualTo(10_000f);
            assertThat(m.float32("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(m.string("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(m.stringArray("tokenizer.ggml.tokens")).hasSize(512).startsWith("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(m.optIntArray("tokenizer.ggml.token_type").orElseThrow()).startsWith(2, 3, 3, 6);
            assertThat(m.count("tokenizer.ggml.bos_token_id")).isEqualTo(1);
            assertThat(m.count("tokenizer.ggml.eos_token_id")).isEqualTo(2);
            assertThat(m.count("tokenizer.ggml.unknown_token_id")).isEqualTo(0);
            assertThat(m.bool("tokenizer.ggml.add_bos_token", false)).isTrue();

            assertThat(decode(gguf, "blk.0.attn_norm.weight")).containsOnly(1f);
            float[] embeddings = decode(gguf, "token_embd.weight");
            assertThat(mean(embeddings)).isCloseTo(0, within(0.001));
            assertThat(std(embeddings)).isCloseTo(SyntheticModel.WEIGHT_STD, within(0.002));
        }
    }

    @Test
    void theSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
        ModelShape shape = ModelShape.preset("stories260k");
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SyntheticModel.write(a, shape, GgmlType.Q4_0, 7);
        SyntheticModel.write(b, shape, GgmlType.Q4_0, 7);
        SyntheticModel.write(c, shape, GgmlType.Q4_0, 8);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
        assertThat(Files.size(a)).isEqualTo(SyntheticModel.writer(shape, GgmlType.Q4_0, 7).fileSizeBytes());
    }

    @Test
    void rowsThatAreNotWholeBlocksFallBackToF16() {
        // stories260k's ffn_down rows hold 172 values, not a multiple of 32.
        Path file = dir.resolve("s.gguf");
        SyntheticModel.write(file, ModelShape.preset("stories260k"), GgmlType.Q8_0, 1);
        try (GgufFile gguf = GgufFile.open(file, LoadMode.MMAP)) {
            assertThat(gguf.tensor("blk.0.ffn_down.weight").orElseThrow().type()).isEqualTo(GgmlType.F16);
            assertThat(gguf.tensor("blk.0.ffn_up.weight").orElseThrow().type()).isEqualTo(GgmlType.Q8_0);
        }
    }

    @Test
    void qwen2HasAttentionBiasesAndATiedHead() {
        ModelShape shape = ModelShape.parseDims("arch=qwen2,heads=4,kv=2");
        Path file = dir.resolve("q.gguf");
        SyntheticModel.write(file, shape, GgmlType.F16, 3);
        try (GgufFile gguf = GgufFile.open(file, LoadMode.MMAP)) {
            assertThat(gguf.metadata().string("general.architecture")).isEqualTo("qwen2");
            assertThat(gguf.tensor("blk.0.attn_q.bias").orElseThrow().shape()).containsExactly(64);
            assertThat(gguf.tensor("blk.1.attn_k.bias").orElseThrow().shape()).containsExactly(32);
            assertThat(gguf.tensor("blk.1.attn_v.bias").orElseThrow().type()).isEqualTo(GgmlType.F32);
            assertThat(gguf.tensor("output.weight")).isEmpty();
            assertThat(gguf.metadata().count("qwen2.attention.head_count_kv")).isEqualTo(2);
        }
    }

    @Test
    void gpt2HasLayerNormBiasesFusedQkvPositionsAndACopiedHead() {
        Path file = dir.resolve("g.gguf");
        SyntheticModel.write(file, ModelShape.parseDims("arch=gpt2"), GgmlType.Q8_0, 5);
        try (GgufFile gguf = GgufFile.open(file, LoadMode.MMAP)) {
            assertThat(gguf.metadata().string("general.architecture")).isEqualTo("gpt2");
            assertThat(gguf.metadata().float32("gpt2.attention.layer_norm_epsilon")).isEqualTo(1e-5f);
            assertThat(gguf.metadata().contains("gpt2.rope.freq_base")).isFalse();
            assertThat(gguf.tensor("position_embd.weight").orElseThrow().shape()).containsExactly(64, 256);
            assertThat(gguf.tensor("blk.0.attn_qkv.weight").orElseThrow().shape()).containsExactly(64, 192);
            assertThat(gguf.tensor("blk.0.attn_qkv.bias").orElseThrow().shape()).containsExactly(192);
            for (String name : List.of("blk.1.attn_norm.bias", "blk.1.attn_output.bias", "blk.1.ffn_norm.bias",
                    "blk.1.ffn_up.bias", "blk.1.ffn_down.bias", "output_norm.bias")) {
                assertThat(gguf.tensor(name)).as(name).isPresent();
            }
            assertThat(gguf.tensor("blk.0.ffn_gate.weight")).isEmpty();
            // llama.cpp's GPT-2 needs output.weight: the tied head is stored as a copy of the embedding.
            assertThat(gguf.tensorData("output.weight").mismatch(gguf.tensorData("token_embd.weight"))).isEqualTo(-1);
        }
    }

    @Test
    void presetsHaveTheRealModelsParameterCounts() {
        assertThat(SyntheticModel.parameterCount(ModelShape.preset("tinyllama-1.1b"))).isEqualTo(1_100_048_384L);
        assertThat(SyntheticModel.parameterCount(ModelShape.preset("qwen2.5-0.5b"))).isEqualTo(494_032_768L);
        assertThat(SyntheticModel.parameterCount(ModelShape.preset("gpt2-124m"))).isEqualTo(124_439_808L);
        assertThat(SyntheticModel.parameterCount(ModelShape.preset("stories260k"))).isEqualTo(292_800L);
        assertThat(SyntheticModel.tensorPlan(ModelShape.preset("tinyllama-1.1b"), GgmlType.Q4_0)).hasSize(201);
    }

    @Test
    void rejectsTypesItCannotWrite() {
        assertThatThrownBy(() -> SyntheticModel.writer(ModelShape.preset("tiny"), GgmlType.IQ2_XXS, 1))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Q4_0").hasMessageContaining("Q6_K");
    }

    /** llama.cpp's Q4_K_M layout: output and, in the layers use_more_bits picks, attn_v and ffn_down are Q6_K. */
    @Test
    void q4KMMixFollowsLlamaCppsLayout() {
        WeightTypes mix = WeightTypes.parse("q4_k_m");
        List<SyntheticModel.PlannedTensor> plan = SyntheticModel.tensorPlan(ModelShape.preset("tinyllama-1.1b"), mix);
        java.util.Map<String, GgmlType> types = new java.util.HashMap<>();
        plan.forEach(t -> types.put(t.name(), t.type()));
        assertThat(types.get("output.weight")).isEqualTo(GgmlType.Q6_K);
        assertThat(types.get("token_embd.weight")).isEqualTo(GgmlType.Q4_K);
        assertThat(types.get("output_norm.weight")).isEqualTo(GgmlType.F32);
        // 22 layers: more bits in 0, 1 (first eighth), 19, 20, 21 (last eighth) and 4, 7, 10, 13, 16
        List<Integer> q6 = java.util.stream.IntStream.range(0, 22)
                .filter(l -> types.get("blk." + l + ".ffn_down.weight") == GgmlType.Q6_K).boxed().toList();
        assertThat(q6).containsExactly(0, 1, 4, 7, 10, 13, 16, 19, 20, 21);
        for (int l = 0; l < 22; l++) {
            assertThat(types.get("blk." + l + ".attn_v.weight")).isEqualTo(types.get("blk." + l + ".ffn_down.weight"));
            assertThat(types.get("blk." + l + ".attn_q.weight")).isEqualTo(GgmlType.Q4_K);
            assertThat(types.get("blk." + l + ".ffn_up.weight")).isEqualTo(GgmlType.Q4_K);
        }
    }

    /** A mixed K-quant file (Q4_K, Q6_K and F32 tensors) loads, a kernel is picked per tensor, and it runs. */
    @Test
    void mixedKQuantModelLoadsAndGenerates(@TempDir Path dir) {
        Path file = dir.resolve("mix.gguf");
        ModelShape shape = ModelShape.parseDims("arch=llama,d=256,layers=2,heads=4,kv=2,ffn=512,vocab=512,ctx=64");
        SyntheticModel.write(file, shape, WeightTypes.parse("Q4_K_M"), 3);
        try (GgufFile gguf = GgufFile.open(file, dev.llmlab.io.LoadMode.READ)) {
            assertThat(gguf.tensor("output.weight").orElseThrow().type()).isEqualTo(GgmlType.Q6_K);
            assertThat(gguf.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgmlType.Q4_K);
            assertThat(gguf.metadata().count("general.file_type")).isEqualTo(15);
        }
        int[] prompt = {1, 100, 200};
        try (LocalModel vector = LocalModel.load(file, LoadOptions.defaults().withThreads(1));
             LocalModel scalar = LocalModel.load(file, LoadOptions.defaults().withThreads(1)
                     .withKernels(KernelRegistry.scalar()))) {
            float[] expected = scalar.newSession().ingest(prompt).clone();
            float[] actual = vector.newSession().ingest(prompt);
            assertThat(actual).hasSize(512);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Float.isFinite(actual[i])).isTrue();
                assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-3f * (1 + Math.abs(expected[i]))));
            }
        }
    }

    private static float[] decode(GgufFile gguf, String name) {
        GgufTensorInfo info = gguf.tensor(name).orElseThrow();
        float[] out = new float[(int) info.elementCount()];
        ScalarKernels.decode(info.type(), gguf.tensorData(info), 0, out, 0, out.length);
        return out;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
