package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalModelTest {
    @TempDir
    Path dir;

    @Test
    void describesWhatWasLoaded() {
        Path file = Fixtures.sharedFile("models/stories260K.gguf");
        try (LocalModel m = LocalModel.load(file, LoadOptions.defaults().withThreads(1).withContextLength(64))) {
            ModelInfo info = m.info();
            assertThat(info.architecture()).isEqualTo("llama");
            assertThat(info.contextLength()).isEqualTo(64);
            assertThat(info.tensorTypes()).containsKey(GgmlType.F32);
            assertThat(info.parameterCount()).isBetween(250_000L, 300_000L);
            assertThat(m.config().vocabSize()).isEqualTo(512);
            assertThat(m.newSession().contextLength()).isEqualTo(64);
        }
    }

    @Test
    void vocabularyOnlyFilesAreRefusedWithAHint() {
        Path vocab = Fixtures.sharedFile("fixtures/vocab/ggml-vocab-llama-spm.gguf");
        assertThatThrownBy(() -> LocalModel.load(vocab, LoadOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("vocabulary-only")
                .hasMessageContaining("llmlab tokenize");
    }

    @Test
    void unknownArchitecturesNameTheSupportedOnes() throws Exception {
        Path file = dir.resolve("odd.gguf");
        GgufWriter llama = SyntheticModel.writer(ModelShape.preset("tiny"), GgmlType.F32, 1);
        GgufWriter.Builder odd = GgufWriter.builder().putAll(llama.metadata()).putString("general.architecture", "mamba");
        llama.tensors().forEach(odd::tensor);
        odd.build().write(file);
        assertThatThrownBy(() -> LocalModel.load(file, LoadOptions.defaults()))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("mamba")
                .hasMessageContaining("llama, mistral, qwen2");
    }

    @Test
    void typesWithoutAKernelAreRefusedAtLoad() {
        Path file = dir.resolve("q8.gguf");
        SyntheticModel.write(file, ModelShape.preset("tiny"), GgmlType.Q8_0, 1);
        KernelRegistry f32Only = new KernelRegistry("f32-only",
                java.util.Map.of(GgmlType.F32, KernelRegistry.scalar().forType(GgmlType.F32, "x")));
        assertThatThrownBy(() -> LocalModel.load(file, LoadOptions.defaults().withKernels(f32Only)
                .withLoadMode(LoadMode.MMAP)))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Q8_0")
                .hasMessageContaining("supported types");
    }
}
