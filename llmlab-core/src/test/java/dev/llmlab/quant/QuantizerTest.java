package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantizerTest {
    private static ComputePool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = ComputePool.ofThreads(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** A whole model quantized here has the tensors llama-quantize --pure wrote for the same type. */
    @ParameterizedTest
    @CsvSource({"Q8_0, Q8_0", "Q4_0, Q4_0", "Q5_1, Q5_1", "Q4_K, Q4_K_M", "Q6_K, Q6_K", "Q2_K, Q2_K", "IQ4_XS, IQ4_XS",
            "BF16, BF16"})
    void quantizedTensorsAreTheFixtureBytes(QuantTarget target, String fixture) {
        try (GgufFile f32 = open("tiny-llama-256-F32.gguf"); GgufFile expected = open("tiny-llama-256-" + fixture + ".gguf")) {
            Quantizer.Result r = Quantizer.quantize(GgufModel.of(f32), target, pool, Quantizer.Progress.NONE);
            assertThat(r.fallbacks()).isEmpty();
            assertThat(r.model().tensors()).hasSameSizeAs(expected.tensors().values());
            for (GgufModel.Tensor t : r.model().tensors()) {
                GgufTensorInfo e = expected.tensor(t.name()).orElseThrow();
                assertThat(t.type()).as(t.name()).isEqualTo(e.type());
                assertThat(t.shape()).isEqualTo(e.shape());
                assertThat(MemorySegment.mismatch(t.data(), 0, t.data().byteSize(), expected.tensorData(e), 0,
                        e.sizeBytes())).as(t.name()).isEqualTo(-1L);
            }
            assertThat(r.model().metadata().get("general.file_type").value()).isEqualTo((long) target.llamaFileType());
        }
    }

    @Test
    void leavesTheInputUntouchedAndSharesKeptTensors() {
        try (GgufFile f32 = open("tiny-llama-256-F32.gguf")) {
            GgufModel source = GgufModel.of(f32);
            Map<String, Integer> before = hashes(source);
            Quantizer.Result r = Quantizer.quantize(source, QuantTarget.Q4_K_M, pool, Quantizer.Progress.NONE);
            assertThat(hashes(source)).isEqualTo(before);
            assertThat(source.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgmlType.F32);
            GgufModel.Tensor norm = r.model().tensor("blk.0.attn_norm.weight").orElseThrow();
            assertThat(norm.data()).isSameAs(source.tensor("blk.0.attn_norm.weight").orElseThrow().data());
            assertThat(r.model().metadata().get("general.name")).isEqualTo(source.metadata().get("general.name"));
        }
    }

    @Test
    void q4KMixOnTinyLlamaFollowsTheRules() {
        try (GgufFile f32 = open("tiny-llama-256-F32.gguf")) {
            Map<String, GgmlType> types = types(Quantizer.quantize(GgufModel.of(f32), QuantTarget.Q4_K_M, pool,
                    Quantizer.Progress.NONE));
            // 2 layers: use_more_bits is true only for layer 1
            assertThat(types).containsEntry("output.weight", GgmlType.Q6_K)
                    .containsEntry("token_embd.weight", GgmlType.Q4_K)
                    .containsEntry("blk.0.attn_v.weight", GgmlType.Q4_K)
                    .containsEntry("blk.1.attn_v.weight", GgmlType.Q6_K)
                    .containsEntry("blk.0.ffn_down.weight", GgmlType.Q4_K)
                    .containsEntry("blk.1.ffn_down.weight", GgmlType.Q6_K)
                    .containsEntry("blk.1.attn_q.weight", GgmlType.Q4_K)
                    .containsEntry("blk.1.ffn_norm.weight", GgmlType.F32);
        }
    }

    /** stories260K's rows are 64 (and ffn_down's 172) wide: k-quants fall back as llama.cpp does, then F16. */
    @Test
    void rowsThatDoNotFitFallBackAndSaySo() {
        try (GgufFile stories = GgufFile.open(Fixtures.sharedFile("models/stories260K.gguf"), LoadMode.READ)) {
            Quantizer.Result r = Quantizer.quantize(GgufModel.of(stories), QuantTarget.Q4_K_M, pool,
                    Quantizer.Progress.NONE);
            Map<String, GgmlType> types = types(r);
            assertThat(types).containsEntry("blk.0.attn_q.weight", GgmlType.Q5_0)
                    .containsEntry("blk.0.ffn_down.weight", GgmlType.F16)
                    .containsEntry("output.weight", GgmlType.Q8_0) // output rows (64) do not fit Q4_K: llama.cpp picks Q8_0
                    .containsEntry("blk.2.attn_v.weight", GgmlType.Q8_0); // Q6_K (more bits) -> Q8_0
            assertThat(r.fallbacks()).extracting(TensorChoice::name).contains("blk.0.ffn_down.weight");
            assertThat(r.fallbacks().getFirst().fallback()).contains("not a multiple");
        }
    }

    @Test
    void writtenFileReadsBackAsTheSameModel() {
        try (GgufFile f32 = open("tiny-llama-256-F32.gguf")) {
            GgufModel q = Quantizer.quantize(GgufModel.of(f32), QuantTarget.Q5_K_M, pool, Quantizer.Progress.NONE)
                    .model();
            Path out = dir.resolve("q.gguf");
            q.write(out, (t, done, total) -> { });
            try (GgufFile back = GgufFile.open(out, LoadMode.READ)) {
                assertThat(back.fileSizeBytes()).isEqualTo(q.writer().fileSizeBytes())
                        .isEqualTo(GgufFile.of(q).fileSizeBytes());
                assertThat(back.metadata().entries().keySet()).containsExactlyElementsOf(q.metadata().keySet());
                GgufModel read = GgufModel.of(back);
                assertThat(read.tensors()).extracting(GgufModel.Tensor::name)
                        .containsExactlyElementsOf(q.tensors().stream().map(GgufModel.Tensor::name).toList());
                for (GgufModel.Tensor t : q.tensors()) {
                    GgufModel.Tensor b = read.tensor(t.name()).orElseThrow();
                    assertThat(b.type()).isEqualTo(t.type());
                    assertThat(MemorySegment.mismatch(t.data(), 0, t.data().byteSize(), b.data(), 0,
                            b.data().byteSize())).isEqualTo(-1L);
                }
            }
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        try (GgufFile f32 = open("tiny-llama-256-F32.gguf"); ComputePool one = ComputePool.ofThreads(1)) {
            GgufModel a = Quantizer.quantize(GgufModel.of(f32), QuantTarget.Q3_K_M, one, Quantizer.Progress.NONE).model();
            GgufModel b = Quantizer.quantize(GgufModel.of(f32), QuantTarget.Q3_K_M, pool, Quantizer.Progress.NONE).model();
            assertThat(hashes(a)).isEqualTo(hashes(b));
        }
    }

    @Test
    void keepsOneDimensionalAndIntegerTensorsAndRefusesTypesItCannotDecode() {
        MemorySegment ints = MemorySegment.ofArray(new int[64]);
        MemorySegment iq2 = MemorySegment.ofArray(new byte[(int) GgmlType.IQ2_XXS.bytesFor(256)]);
        GgufModel m = new GgufModel("test", Map.of(), java.util.List.of(
                new GgufModel.Tensor("blk.0.routing.weight", GgmlType.I32, new long[]{32, 2}, ints),
                new GgufModel.Tensor("blk.0.attn_q.weight", GgmlType.IQ2_XXS, new long[]{256, 1}, iq2)));
        java.util.List<TensorChoice> plan = Quantizer.plan(m, QuantTarget.Q8_0);
        assertThat(plan.get(0).isKept()).isTrue();
        assertThat(plan.get(1).to()).isEqualTo(GgmlType.Q8_0);
        assertThatThrownBy(() -> Quantizer.quantize(m, QuantTarget.Q8_0, pool, Quantizer.Progress.NONE))
                .isInstanceOf(dev.llmlab.error.UnsupportedModelException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("IQ2_XXS");
    }

    private static Map<String, GgmlType> types(Quantizer.Result r) {
        return r.model().tensors().stream().collect(Collectors.toMap(GgufModel.Tensor::name, GgufModel.Tensor::type));
    }

    private static Map<String, Integer> hashes(GgufModel m) {
        return m.tensors().stream().collect(Collectors.toMap(GgufModel.Tensor::name,
                t -> Arrays.hashCode(t.data().toArray(ValueLayout.JAVA_BYTE))));
    }

    private static GgufFile open(String name) {
        return GgufFile.open(Fixtures.sharedFile("fixtures/quant/" + name), LoadMode.READ);
    }

}
