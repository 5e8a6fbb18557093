package dev.llmlab.gguf;

import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the real stories260K.gguf that llama.cpp uses in its own tests. */
class GgufReaderStoriesTest {
    private static final Path STORIES = Fixtures.sharedFile("models/stories260K.gguf");

    @Test
    void readsHeaderAndArchitectureMetadata() {
        try (GgufFile gguf = GgufFile.open(STORIES, LoadMode.MMAP)) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.alignment()).isEqualTo(32);
            assertThat(gguf.fileSizeBytes()).isEqualTo(1_185_376);
            assertThat(gguf.dataSectionOffset()).isEqualTo(14_176);
            GgufMetadata m = gguf.metadata();
            assertThat(m.entries()).hasSize(19);
            assertThat(m.string("general.architecture")).isEqualTo("llama");
            assertThat(m.count("llama.embedding_length")).isEqualTo(64);
            assertThat(m.count("llama.block_count")).isEqualTo(5);
            assertThat(m.count("llama.feed_forward_length")).isEqualTo(172);
            assertThat(m.count("llama.attention.head_count")).isEqualTo(8);
            assertThat(m.count("llama.attention.head_count_kv")).isEqualTo(4);
            assertThat(m.count("llama.context_length")).isEqualTo(2048);
            assertThat(m.count("llama.rope.dimension_count")).isEqualTo(8);
            assertThat(m.float32("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(m.string("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(m.integer("tokenizer.ggml.seperator_token_id")).isEqualTo(0xFFFF_FFFFL); // UINT32 stays unsigned
            List<String> tokens = m.stringArray("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(512).startsWith("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(tokens.get(259)).isEqualTo("\u2581t");
            assertThat(m.optFloatArray("tokenizer.ggml.scores").orElseThrow()).hasSize(512);
            assertThat(m.optIntArray("tokenizer.ggml.token_type").orElseThrow()).startsWith(2, 3, 3, 6);
        }
    }

    @Test
    void listsEveryTensorWithItsShapeTypeAndOffset() {
        try (GgufFile gguf = GgufFile.open(STORIES, LoadMode.MMAP)) {
            assertThat(gguf.tensors()).hasSize(3 + 5 * 9);
            assertThat(gguf.tensors().values()).allSatisfy(t -> assertThat(t.type()).isEqualTo(GgmlType.F32));
            assertThat(gguf.tensors().keySet()).startsWith("token_embd.weight", "output_norm.weight", "output.weight",
                    "blk.0.attn_q.weight");
            assertShape(gguf, "token_embd.weight", 64, 512);
            assertShape(gguf, "output_norm.weight", 64);
            assertShape(gguf, "blk.4.attn_k.weight", 64, 32);
            assertShape(gguf, "blk.2.ffn_down.weight", 172, 64);
            assertShape(gguf, "blk.0.ffn_gate.weight", 64, 172);
            assertThat(gguf.tensor("output_norm.weight").orElseThrow().dataOffset()).isEqualTo(131_072);
            GgufTensorInfo last = gguf.tensor("blk.4.ffn_norm.weight").orElseThrow();
            assertThat(gguf.dataSectionOffset() + last.dataOffset() + last.sizeBytes()).isEqualTo(gguf.fileSizeBytes());
            long parameters = gguf.tensors().values().stream().mapToLong(GgufTensorInfo::elementCount).sum();
            assertThat(parameters).isEqualTo(292_800);
        }
    }

    @Test
    void mappedAndReadFilesGiveIdenticalBytes() {
        try (GgufFile mapped = GgufFile.open(STORIES, LoadMode.MMAP);
             GgufFile read = GgufFile.open(STORIES, LoadMode.READ)) {
            assertThat(mapped.loadMode()).isEqualTo(LoadMode.MMAP);
            assertThat(read.loadMode()).isEqualTo(LoadMode.READ);
            assertThat(read.tensors()).isEqualTo(mapped.tensors());
            assertThat(read.metadata().entries().keySet()).containsExactlyElementsOf(mapped.metadata().entries().keySet());
            mapped.metadata().entries().forEach((k, v) ->
                    assertThat(GgufTestValues.sameValue(read.metadata().entries().get(k), v)).as(k).isTrue());
            for (GgufTensorInfo t : mapped.tensors().values()) {
                MemorySegment a = mapped.tensorData(t);
                MemorySegment b = read.tensorData(t);
                assertThat(a.byteSize()).isEqualTo(t.sizeBytes());
                assertThat(a.mismatch(b)).as(t.name()).isEqualTo(-1);
            }
        }
    }

    private static void assertShape(GgufFile gguf, String name, long... shape) {
        assertThat(gguf.tensor(name).orElseThrow().shape()).as(name).containsExactly(shape);
    }
}
