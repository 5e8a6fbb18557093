package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelNotFoundException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepoFilesTest {
    private static final List<String> GGUF_REPO = List.of("README.md", "tiny-Q2_K.gguf", "tiny-Q4_K_M.gguf",
            "tiny-q8_0.gguf", "tiny-Q4_K_S.gguf", "big/tiny-F16-00001-of-00002.gguf",
            "big/tiny-F16-00002-of-00002.gguf");

    private static RepoFiles.Selection select(String ref, List<String> files) {
        return RepoFiles.select((ModelRef.Hub) ModelRef.parse(ref), files).orElseThrow();
    }

    @Test
    void quantTagPicksTheFileCaseInsensitively() {
        assertThat(select("o/tiny-GGUF", GGUF_REPO).files()).containsExactly("tiny-Q4_K_M.gguf");
        assertThat(select("o/tiny-GGUF:Q8_0", GGUF_REPO).primary()).isEqualTo("tiny-q8_0.gguf");
        assertThat(select("o/tiny-GGUF:q4_k_s", GGUF_REPO).primary()).isEqualTo("tiny-Q4_K_S.gguf");
        // Q4_K is a prefix of Q4_K_M and Q4_K_S but not their tag
        assertThatThrownBy(() -> select("o/tiny-GGUF:Q4_K", GGUF_REPO)).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("available: big/tiny-F16-00001-of-00002.gguf");
    }

    @Test
    void splitFilesComeTogether() {
        RepoFiles.Selection s = select("o/tiny-GGUF:f16", GGUF_REPO);
        assertThat(s.files()).containsExactly("big/tiny-F16-00001-of-00002.gguf", "big/tiny-F16-00002-of-00002.gguf");
        assertThat(s.primary()).isEqualTo("big/tiny-F16-00001-of-00002.gguf");
        assertThat(RepoFiles.withSplitParts("m-00002-of-00003.gguf"))
                .containsExactly("m-00001-of-00003.gguf", "m-00002-of-00003.gguf", "m-00003-of-00003.gguf");
        assertThat(select("o/r", List.of("m-00002-of-00002.gguf", "m-00001-of-00002.gguf")).primary())
                .isEqualTo("m-00001-of-00002.gguf");
    }

    @Test
    void withoutTheDefaultQuantTheOnlyOrFirstFile() {
        assertThat(select("o/r", List.of("b-Q8_0.gguf", "a-Q5_K_M.gguf")).primary()).isEqualTo("a-Q5_K_M.gguf");
        assertThat(select("o/r", List.of("only.gguf", "README.md")).primary()).isEqualTo("only.gguf");
    }

    @Test
    void ambiguousTagListsTheCandidates() {
        assertThatThrownBy(() -> select("o/r:Q4_0", List.of("a-Q4_0.gguf", "b-Q4_0.gguf")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("a-Q4_0.gguf, b-Q4_0.gguf")
                .hasMessageContaining("o/r/FILE");
    }

    @Test
    void safetensorsRepoNeedsWhatTheEngineLoads() {
        List<String> files = List.of(".gitattributes", "README.md", "config.json", "generation_config.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
                "original/consolidated.safetensors", "pytorch_model.bin");
        RepoFiles.Selection s = select("o/r", files);
        assertThat(s.primary()).isNull();
        assertThat(s.files()).containsExactly("config.json", "generation_config.json", "tokenizer.json",
                "tokenizer_config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model.safetensors.index.json");
        assertThat(RepoFiles.select((ModelRef.Hub) ModelRef.parse("o/r"), List.of("README.md"))).isEmpty();
        assertThatThrownBy(() -> select("o/r:Q4_0", files)).hasMessageContaining("has no .gguf files");
    }

    @Test
    void namedFileMustExist() {
        assertThat(select("o/tiny-GGUF/tiny-Q2_K.gguf", GGUF_REPO).files()).containsExactly("tiny-Q2_K.gguf");
        assertThat(RepoFiles.select((ModelRef.Hub) ModelRef.parse("o/r/x.gguf"), GGUF_REPO)).isEmpty();
    }

    @Test
    void quantOfAFileName() {
        assertThat(RepoFiles.quantOf("Llama-3.2-1B-Instruct-Q4_K_M.gguf")).contains("Q4_K_M");
        assertThat(RepoFiles.quantOf("qwen2.5-0.5b-instruct-q8_0.gguf")).contains("Q8_0");
        assertThat(RepoFiles.quantOf("model-IQ2_XS.gguf")).contains("IQ2_XS");
        assertThat(RepoFiles.quantOf("BF16/model-bf16-00001-of-00002.gguf")).contains("BF16");
        assertThat(RepoFiles.quantOf("stories260K.gguf")).isEmpty();
    }
}
