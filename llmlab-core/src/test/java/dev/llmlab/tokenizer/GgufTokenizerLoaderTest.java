package dev.llmlab.tokenizer;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.gguf.GgufValueType;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufTokenizerLoaderTest {
    private static final String SOURCE = "/models/broken.gguf";

    private static Map<String, GgufValue> valid() {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.ofString("llama"));
        md.put("tokenizer.ggml.tokens", GgufValue.ofStrings(List.of("<unk>", "<s>", "</s>", "▁", "a", "▁a")));
        md.put("tokenizer.ggml.scores", GgufValue.ofFloats(new float[] {0, 0, 0, -3, -2, -1}));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, new long[] {2, 3, 3, 1, 1, 1}));
        return md;
    }

    private static Tokenizer load(Map<String, GgufValue> md) {
        return GgufTokenizerLoader.load(new GgufMetadata(SOURCE, md));
    }

    @Test
    void aMinimalVocabularyLoadsWithLlamaCppDefaults() {
        Tokenizer t = load(valid());
        assertThat(t.encode("a a", true, false)).containsExactly(1, 5, 5);
        assertThat(t.bosId()).hasValue(1);
        assertThat(t.eosId()).hasValue(2);
        assertThat(t.addBosByDefault()).isTrue();
        assertThat(t.isEndOfGeneration(2)).isTrue();
    }

    @Test
    void metadataOverridesDefaults() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        md.put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(false));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(1));
        Tokenizer t = load(md);
        assertThat(t.encode("a a", false, false)).containsExactly(4, 5);
        assertThat(t.addBosByDefault()).isFalse();
        assertThat(t.eosId()).hasValue(1);
    }

    @Test
    void textRecognisedEndOfTurnTokensBecomeControlAndEndGeneration() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.tokens", GgufValue.ofStrings(List.of("<unk>", "<s>", "</s>", "▁", "a", "<|end|>")));
        SentencePieceTokenizer t = (SentencePieceTokenizer) load(md);
        assertThat(t.vocabulary().type(5)).isEqualTo(TokenType.CONTROL);
        assertThat(t.isEndOfGeneration(5)).isTrue();
        assertThat(t.specialTokens().eot()).isEqualTo(5);
    }

    @Test
    void anUnknownTokenizerModelIsReportedAsUnsupported() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.model", GgufValue.ofString("rwkv"));
        assertThatThrownBy(() -> load(md)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining(SOURCE).hasMessageContaining("'rwkv'").hasMessageContaining("'gpt2'");
    }

    private static Map<String, GgufValue> validBpe() {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.ofString("gpt-2"));
        md.put("tokenizer.ggml.tokens", GgufValue.ofStrings(List.of("a", "b", "Ġ", "ab", "Ġab", "<|end|>")));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, new long[] {1, 1, 1, 1, 1, 3}));
        md.put("tokenizer.ggml.merges", GgufValue.ofStrings(List.of("a b", "Ġ ab")));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(5));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(5));
        return md;
    }

    @Test
    void aMinimalByteLevelVocabularyMergesByRank() {
        Tokenizer t = load(validBpe());
        assertThat(t).isInstanceOf(ByteLevelBpeTokenizer.class);
        assertThat(t.encode("ab ab", false, false)).containsExactly(3, 4);
        assertThat(t.encode("ab<|end|>", false, true)).containsExactly(3, 5);
        assertThat(t.addBosByDefault()).as("llama.cpp's default for BPE vocabularies").isFalse();
        assertThat(t.isEndOfGeneration(5)).isTrue();
        assertThat(t.decode(new int[] {3, 4, 5})).isEqualTo("ab ab");
    }

    @Test
    void anUnknownPreTokenizerIsNamed() {
        Map<String, GgufValue> md = validBpe();
        md.put("tokenizer.ggml.pre", GgufValue.ofString("mystery-7b"));
        assertThatThrownBy(() -> load(md)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining(SOURCE).hasMessageContaining("'mystery-7b'").hasMessageContaining("llama-bpe");
    }

    @Test
    void aMergeOutsideTheVocabularyIsAFormatError() {
        Map<String, GgufValue> md = validBpe();
        md.put("tokenizer.ggml.merges", GgufValue.ofStrings(List.of("a b", "b a")));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(SOURCE).hasMessageContaining("tokenizer.ggml.merges[1] = 'b a'");
    }

    @Test
    void otherModelsAreReportedAsUnsupported() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.model", GgufValue.ofString("t5"));
        assertThatThrownBy(() -> load(md)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'t5'").hasMessageContaining("'llama'");
    }

    @Test
    void mismatchedScoresAreAClearError() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.scores", GgufValue.ofFloats(new float[] {0, 0}));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("tokenizer.ggml.scores has 2 entries but tokenizer.ggml.tokens has 6");
    }

    @Test
    void mismatchedTokenTypesAreAClearError() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, new long[] {1, 1, 1, 1, 1, 1, 1}));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.ggml.token_type has 7 entries but tokenizer.ggml.tokens has 6");
    }

    @Test
    void missingTokensAreAClearError() {
        Map<String, GgufValue> md = valid();
        md.remove("tokenizer.ggml.tokens");
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(SOURCE).hasMessageContaining("tokenizer.ggml.tokens");
    }

    @Test
    void duplicatePiecesAreAClearError() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.tokens", GgufValue.ofStrings(List.of("<unk>", "<s>", "</s>", "▁", "a", "a")));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(SOURCE).hasMessageContaining("'a' has ids 4 and 5");
    }

    @Test
    void malformedByteTokensAreAClearError() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, new long[] {2, 3, 3, 1, 6, 1}));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("token 4 'a' has type BYTE but is not of the form <0xXX>");
    }

    @Test
    void addBosWithoutABosTokenIsAClearError() {
        Map<String, GgufValue> md = valid();
        md.put("tokenizer.ggml.tokens", GgufValue.ofStrings(List.of("<unk>")));
        md.put("tokenizer.ggml.scores", GgufValue.ofFloats(new float[] {0}));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, new long[] {2}));
        assertThatThrownBy(() -> load(md)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("add_bos_token is true").hasMessageContaining("bos_token_id");
    }
}
