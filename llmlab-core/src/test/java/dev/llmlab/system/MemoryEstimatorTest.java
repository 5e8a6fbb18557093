package dev.llmlab.system;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LoadedTransformer;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.system.MemoryTerm.Place;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The weight and KV-cache terms are exact: compared with what the engine actually maps and allocates. */
class MemoryEstimatorTest {
    private static final RuntimeProfile RUNTIME = new RuntimeProfile(50_000_000, 130_000_000, "test");

    @ParameterizedTest
    @ValueSource(strings = {"models/stories260K.gguf", "fixtures/quant/tiny-llama-256-F32.gguf",
            "fixtures/quant/tiny-llama-256-F16.gguf", "fixtures/quant/tiny-llama-256-BF16.gguf",
            "fixtures/quant/tiny-llama-256-Q8_0.gguf", "fixtures/quant/tiny-llama-256-Q4_0.gguf"})
    void weightAndKvTermsEqualWhatTheEngineAllocates(String fixture) {
        Path path = Fixtures.sharedFile(fixture);
        ModelHeader header = ModelHeaders.gguf(path, ArchitectureRegistry.defaults(), false);
        int context = 96;
        InferenceEstimate estimate = new MemoryEstimator(RUNTIME).inference(header, context, LoadMode.READ, 2);

        Map<GgmlType, Long> sliced = new EnumMap<>(GgmlType.class);
        try (GgufFile file = GgufFile.open(path, LoadMode.READ)) {
            for (GgufTensorInfo t : file.tensors().values()) {
                sliced.merge(t.type(), file.tensorData(t).byteSize(), Long::sum);
            }
            // everything off-heap is the file the engine reads into memory, byte for byte
            assertThat(estimate.bytesIn(Place.OFF_HEAP)).isEqualTo(file.fileSizeBytes());
        }
        sliced.forEach((type, bytes) -> assertThat(estimate.term("weights " + type)).as("weights %s", type)
                .isEqualTo(bytes));

        try (LocalModel model = LocalModel.load(path, LoadOptions.defaults().withThreads(1).withContextLength(context))) {
            Session session = model.newSession();
            assertThat(estimate.term("KV cache")).isEqualTo(session.kvCacheBytes());
            assertThat(MemoryEstimator.sessionScratchBytes(model.config())).isEqualTo(session.scratchBytes());
            assertThat(header.config()).isEqualTo(model.config());
            assertThat(header.parameterCount()).isEqualTo(model.info().parameterCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2-bf16-sharded"})
    void huggingFaceCheckpointsAreSizedExactlyFromTheirSafetensorsHeaders(String fixture) {
        Path dir = Fixtures.sharedFile("fixtures/hf/" + fixture + "/config.json").getParent();
        ModelHeader header = ModelHeaders.of(dir, ArchitectureRegistry.defaults(), false);
        int context = 32;
        InferenceEstimate estimate = new MemoryEstimator(RUNTIME).inference(header, context, LoadMode.READ, 1);
        LoadOptions options = LoadOptions.defaults().withThreads(1).withContextLength(context);
        try (LoadedTransformer loaded = LoadedTransformer.load(
                LocalModel.openCheckpoint(dir, options, ArchitectureRegistry.defaults()), options)) {
            Map<GgmlType, Long> stored = new EnumMap<>(GgmlType.class);
            loaded.checkpoint().tensors().all().forEach(t -> stored.merge(t.type(), t.data().byteSize(), Long::sum));
            stored.forEach((type, bytes) -> assertThat(estimate.term("weights " + type)).as("weights %s", type)
                    .isEqualTo(bytes));
            assertThat(estimate.term("weights F32") + estimate.term("weights BF16") + estimate.term("weights F16")
                    + estimate.term("file header, metadata, padding")).isEqualTo(loaded.checkpoint().sizeBytes());
            Session session = loaded.transformer().newSession(context);
            assertThat(estimate.term("KV cache")).isEqualTo(session.kvCacheBytes());
            assertThat(MemoryEstimator.sessionScratchBytes(header.config())).isEqualTo(session.scratchBytes());
            assertThat(header.parameterCount()).isEqualTo(loaded.parameterCount());
        }
        // GPT-2 stores its Conv1D weights transposed: the engine keeps a transposed copy of each
        long copies = fixture.equals("tiny-gpt2") ? 2L * 4 * (64 * 192 + 64 * 64 + 64 * 256 + 256 * 64) : 0;
        assertThat(estimate.term("weights converted")).isEqualTo(copies);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q2_K", "Q4_K_M", "Q6_K", "IQ4_XS"})
    void typesTheEngineCannotRunAreStillSizedExactlyFromTheHeader(String quant) {
        Path path = Fixtures.sharedFile("fixtures/quant/tiny-llama-256-" + quant + ".gguf");
        ModelHeader header = ModelHeaders.gguf(path, ArchitectureRegistry.defaults(), false);
        try (GgufFile file = GgufFile.open(path, LoadMode.MMAP)) {
            long tensorBytes = file.tensors().values().stream().mapToLong(t -> file.tensorData(t).byteSize()).sum();
            assertThat(header.bytesByType().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(tensorBytes);
        }
    }

    @Test
    void anotherQuantizationIsSizedAsTheFileThatTypeWouldBe(@TempDir Path dir) {
        ModelShape shape = ModelShape.preset("tiny");
        Path f32 = dir.resolve("f32.gguf");
        SyntheticModel.write(f32, shape, GgmlType.F32, 1);
        ModelHeader header = ModelHeaders.gguf(f32, ArchitectureRegistry.defaults(), false);
        for (GgmlType type : new GgmlType[]{GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0}) {
            Path actual = dir.resolve(type + ".gguf");
            SyntheticModel.write(actual, shape, type, 1);
            ModelHeader written = ModelHeaders.gguf(actual, ArchitectureRegistry.defaults(), false);
            ModelHeader retyped = header.retyped(type);
            assertThat(retyped.bytesByType()).as("%s", type).isEqualTo(written.bytesByType());
            // the header's metadata differs only in the file-type field, so the sizes match to the alignment
            assertThat(Math.abs(retyped.fileBytes() - written.fileBytes())).as("%s", type)
                    .isLessThanOrEqualTo(written.alignment());
        }
    }

    @Test
    void kvCacheGrowsLinearlyWithTheContextAndDefaultsToTheEnginesCap() {
        ModelHeader header = ModelHeaders.gguf(Fixtures.sharedFile("models/stories260K.gguf"),
                ArchitectureRegistry.defaults());
        MemoryEstimator estimator = new MemoryEstimator(RUNTIME);
        long at100 = estimator.inference(header, 100, LoadMode.READ, 1).term("KV cache");
        long at200 = estimator.inference(header, 200, LoadMode.READ, 1).term("KV cache");
        assertThat(at200).isEqualTo(2 * at100);
        InferenceEstimate byDefault = estimator.inference(header, 0, LoadMode.READ, 1);
        assertThat(byDefault.contextLength()).isEqualTo(Math.min(header.config().contextLength(),
                LocalModel.DEFAULT_MAX_CONTEXT));
        assertThat(byDefault.term("JVM runtime")).isEqualTo(RUNTIME.nativeBytes());
        assertThat(byDefault.term("JVM young generation")).isEqualTo(RUNTIME.youngGenerationBytes());
        assertThat(byDefault.totalBytes()).isEqualTo(byDefault.terms().stream().mapToLong(MemoryTerm::bytes).sum());
    }

    @Test
    void tokenizerHeapIsMeasuredInThisJvm() {
        ModelHeader small = ModelHeaders.gguf(Fixtures.sharedFile("models/stories260K.gguf"),
                ArchitectureRegistry.defaults());
        assertThat(small.metadataHeapBytes()).isPositive();
        assertThat(small.vocabularyTokens()).isEqualTo(512);
    }

    @Test
    void verdictThresholds() {
        MemoryInfo memory = new MemoryInfo(10_000, 1_000, -1, -1);
        assertThat(Verdict.judge(800, 10, memory, 1_000).level()).isEqualTo(Verdict.Level.FITS);
        assertThat(Verdict.judge(801, 10, memory, 1_000).level()).isEqualTo(Verdict.Level.TIGHT);
        assertThat(Verdict.judge(1_000, 10, memory, 1_000).level()).isEqualTo(Verdict.Level.TIGHT);
        assertThat(Verdict.judge(1_001, 10, memory, 1_000).level()).isEqualTo(Verdict.Level.DOES_NOT_FIT);
        Verdict heap = Verdict.judge(500, 901, memory, 1_000);
        assertThat(heap.level()).isEqualTo(Verdict.Level.DOES_NOT_FIT);
        assertThat(heap.reason()).contains("-Xmx");
    }

    @Test
    void residentMemoryIsReadFromProcStatus() {
        assertThat(RuntimeProfile.residentBytes("Name:\tjava\nVmHWM:\t  2048 kB\nVmRSS:\t    1024 kB\n"))
                .contains(1024L * 1024);
        assertThat(RuntimeProfile.residentBytes("Name:\tjava\n")).isEmpty();
    }
}
