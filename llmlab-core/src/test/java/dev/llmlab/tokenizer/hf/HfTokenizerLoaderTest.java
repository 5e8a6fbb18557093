package dev.llmlab.tokenizer.hf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfTokenizerLoaderTest {
    @TempDir
    Path dir;

    /** A tiny byte-level vocabulary: a, b, Ġ, ab, Ġab and a special token, with two merges. */
    private static String tokenizerJson(String preTokenizer, String decoder) {
        return """
                {"added_tokens": [{"id": 5, "content": "<|end|>", "special": true, "normalized": false}],
                 "normalizer": null, "pre_tokenizer": %s, "post_processor": null, "decoder": %s,
                 "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "Ġ": 2, "ab": 3, "Ġab": 4},
                           "merges": ["a b", ["Ġ", "ab"]]}}
                """.formatted(preTokenizer, decoder);
    }

    private Tokenizer load(String json) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), json);
        return HfTokenizerLoader.load(dir);
    }

    @Test
    void aSmallByteLevelFileEncodesAndDecodes() throws IOException {
        Tokenizer t = load(tokenizerJson("{\"type\": \"ByteLevel\", \"add_prefix_space\": false}",
                "{\"type\": \"ByteLevel\"}"));
        assertThat(t.encode("ab ab<|end|>", false, true)).containsExactly(3, 4, 5);
        assertThat(t.encode("ab ab<|end|>", false, false)).as("special token left as text")
                .startsWith(3, 4).doesNotContain(5);
        assertThat(t.decode(new int[] {3, 4, 5})).isEqualTo("ab ab");
        assertThat(t.addBosByDefault()).isFalse();
        assertThat(t.vocabSize()).isEqualTo(6);
    }

    @Test
    void configFilesNameTheSpecialTokens() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"<|end|>\"}}");
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 5, \"eos_token_id\": [5, 4]}");
        Tokenizer t = load(tokenizerJson("{\"type\": \"ByteLevel\"}", "null"));
        assertThat(t.eosId()).hasValue(5);
        assertThat(t.bosId()).hasValue(5);
        assertThat(t.isEndOfGeneration(5)).isTrue();
        assertThat(t.isEndOfGeneration(4)).isTrue();
        assertThat(t.isEndOfGeneration(3)).isFalse();
    }

    @Test
    void anUnknownComponentIsRefusedByName() {
        assertThatThrownBy(() -> load(tokenizerJson("{\"type\": \"BertPreTokenizer\"}", "null")))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("pre_tokenizer type 'BertPreTokenizer' is not supported")
                .hasMessageContaining("tokenizer.json");
        assertThatThrownBy(() -> load(tokenizerJson("null", "{\"type\": \"WordPiece\"}")))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("decoder type 'WordPiece'");
        assertThatThrownBy(() -> load("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}"))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("model type 'Unigram'");
    }

    @Test
    void malformedFilesAreFormatErrors() {
        assertThatThrownBy(() -> load("{\"model\": "))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> load("""
                {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}}"""))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("merges[0]")
                .hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> load("{\"model\": {\"type\": \"BPE\"}}"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("no \"vocab\"");
    }

    @Test
    void aDirectoryWithoutTokenizerJsonIsNotFound() {
        assertThatThrownBy(() -> HfTokenizerLoader.load(dir)).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("tokenizer.json");
    }

    @Test
    void theRealGpt2FileRoundTrips() {
        Tokenizer t = HfTokenizerLoader.load(TokenizerJsonFixtures.dir("gpt2"));
        String text = "Hello world, it's 2024!\n\tÜbergrößen 😀 <|endoftext|>";
        assertThat(t.encode("Hello world", false, true)).containsExactly(15496, 995);
        assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
        assertThat(t.encode("<|endoftext|>", false, true)).containsExactly(50256);
    }
}
