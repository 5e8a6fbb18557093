package dev.llmlab.synth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticVocabularyTest {
    @ParameterizedTest
    @ValueSource(ints = {259, 260, 512, 32_000, 50_257, 151_936})
    void hasExactlyTheRequestedNumberOfUniquePiecesInLlamaLayout(int size) {
        SyntheticVocabulary v = SyntheticVocabulary.llamaStyle(size);
        List<String> tokens = v.tokens();
        assertThat(tokens).hasSize(size);
        assertThat(new HashSet<>(tokens)).hasSize(size);
        assertThat(tokens.subList(0, 3)).containsExactly("<unk>", "<s>", "</s>");
        assertThat(tokens.get(3)).isEqualTo("<0x00>");
        assertThat(tokens.get(3 + 0x0A)).isEqualTo("<0x0A>");
        assertThat(tokens.get(258)).isEqualTo("<0xFF>");
        long[] types = v.tokenTypes();
        assertThat(types[0]).isEqualTo(SyntheticVocabulary.TYPE_UNKNOWN);
        assertThat(types[1]).isEqualTo(SyntheticVocabulary.TYPE_CONTROL);
        assertThat(types[2]).isEqualTo(SyntheticVocabulary.TYPE_CONTROL);
        for (int i = 3; i < size; i++) {
            assertThat(types[i]).isEqualTo(i < 259 ? SyntheticVocabulary.TYPE_BYTE : SyntheticVocabulary.TYPE_NORMAL);
        }
        float[] scores = v.scores();
        for (int i = 260; i < size; i++) {
            assertThat(scores[i]).isLessThan(scores[i - 1]);
        }
        assertThat(tokens).allSatisfy(t -> assertThat(t).isNotEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 32_000})
    void everyPrefixOfACommonWordIsAPieceSoMergesReachTheWord(int size) {
        List<String> tokens = SyntheticVocabulary.llamaStyle(size).tokens();
        assertThat(tokens).contains("\u2581", "a", "Z", "\u2581t", "\u2581th", "\u2581the", "\u2581once");
    }
}
