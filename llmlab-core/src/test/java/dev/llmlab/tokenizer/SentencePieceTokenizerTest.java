package dev.llmlab.tokenizer;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelFormatException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of the algorithm on hand-made vocabularies, where the expected ids follow from the scores. */
class SentencePieceTokenizerTest {

    /** A vocabulary builder: ids in insertion order. */
    static final class Vocab {
        final List<String> pieces = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
        final List<TokenType> types = new ArrayList<>();

        Vocab add(String piece, float score, TokenType type) {
            pieces.add(piece);
            scores.add(score);
            types.add(type);
            return this;
        }

        Vocab normal(String piece, float score) {
            return add(piece, score, TokenType.NORMAL);
        }

        Vocab bytes() {
            for (int b = 0; b < 256; b++) {
                add(String.format("<0x%02X>", b), 0, TokenType.BYTE);
            }
            return this;
        }

        int id(String piece) {
            return pieces.indexOf(piece);
        }

        SentencePieceTokenizer tokenizer(SpmOptions options) {
            float[] s = new float[scores.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores.get(i);
            }
            Vocabulary v = new Vocabulary(pieces, s, types.toArray(TokenType[]::new));
            return new SentencePieceTokenizer(v, new SpecialTokens(1, 2, 0, SpecialTokens.NONE, SpecialTokens.NONE,
                    SpecialTokens.NONE, Set.of(2)), options);
        }

        SentencePieceTokenizer tokenizer() {
            return tokenizer(SpmOptions.defaults());
        }
    }

    static Vocab base() {
        return new Vocab().add("<unk>", 0, TokenType.UNKNOWN).add("<s>", 0, TokenType.CONTROL)
                .add("</s>", 0, TokenType.CONTROL);
    }

    @Test
    void theBestScoringPairMergesFirst() {
        Vocab v = base().normal("▁", -10).normal("a", -10).normal("b", -10).normal("▁a", -2).normal("ab", -1);
        assertThat(v.tokenizer().encode("ab", false, false)).containsExactly(v.id("▁"), v.id("ab"));
        Vocab w = base().normal("▁", -10).normal("a", -10).normal("b", -10).normal("▁a", -1).normal("ab", -2);
        assertThat(w.tokenizer().encode("ab", false, false)).containsExactly(w.id("▁a"), w.id("b"));
    }

    @Test
    void equalScoresMergeLeftmostFirst() {
        Vocab v = base().normal("▁", -10).normal("a", -10).normal("aa", -1);
        assertThat(v.tokenizer().encode("aaa", false, false)).containsExactly(v.id("▁"), v.id("aa"), v.id("a"));
    }

    @Test
    void mergesContinueWithTheMergedSymbols() {
        Vocab v = base().normal("▁", -10).normal("a", -10).normal("b", -10).normal("ab", -1).normal("▁ab", -5);
        assertThat(v.tokenizer().encode("ab", false, false)).containsExactly(v.id("▁ab"));
    }

    @Test
    void unknownCharactersFallBackToBytesOrToUnk() {
        Vocab v = base().bytes().normal("▁", -10);
        assertThat(v.tokenizer().encode("é", false, false))
                .containsExactly(v.id("▁"), v.id("<0xC3>"), v.id("<0xA9>"));
        Vocab noBytes = base().normal("▁", -10);
        assertThat(noBytes.tokenizer().encode("éé", false, false)).containsExactly(noBytes.id("▁"), 0, 0);
    }

    @Test
    void withoutBytesOrUnkEncodingFailsClearly() {
        Vocab v = new Vocab().normal("▁", 0).add("<s>", 0, TokenType.CONTROL).add("</s>", 0, TokenType.CONTROL);
        SentencePieceTokenizer t = new SentencePieceTokenizer(
                new Vocabulary(v.pieces, new float[3], v.types.toArray(TokenType[]::new)),
                new SpecialTokens(1, 2, SpecialTokens.NONE, -1, -1, -1, Set.of()), SpmOptions.defaults());
        assertThatThrownBy(() -> t.encode("x", false, false)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("U+0078").hasMessageContaining("no byte token <0x78>");
    }

    @Test
    void controlTokensAreTextUnlessParsedAndFollowedByASpacePrefix() {
        Vocab v = base().bytes().normal("▁", -10).normal("<", -10).normal("s", -10).normal(">", -10)
                .normal("h", -10).normal("▁h", -1);
        SentencePieceTokenizer t = v.tokenizer();
        assertThat(t.encode("<s>h", false, true)).containsExactly(1, v.id("▁h"));
        assertThat(t.encode("h<s>h", false, true)).containsExactly(v.id("▁h"), 1, v.id("▁h"));
        assertThat(t.encode("<s>", false, false))
                .containsExactly(v.id("▁"), v.id("<"), v.id("s"), v.id(">"));
    }

    @Test
    void userDefinedTokensAreMatchedEvenWithoutSpecialParsing() {
        Vocab v = base().bytes().normal("▁", -10).normal("h", -10).normal("▁h", -1)
                .add("<tag>", 0, TokenType.USER_DEFINED);
        SentencePieceTokenizer t = v.tokenizer();
        assertThat(t.encode("h<tag>h", false, false)).containsExactly(v.id("▁h"), v.id("<tag>"), v.id("▁h"));
        assertThat(t.decode(t.encode("h<tag>h", false, false))).isEqualTo("h<tag> h");
    }

    @Test
    void longerSpecialTokensWinWhereverTheyAre() {
        // llama.cpp takes special tokens longest first over the whole text, not leftmost first
        Vocab v = base().bytes().normal("▁", -10).add("<ab", 0, TokenType.USER_DEFINED)
                .add("bcd>", 0, TokenType.USER_DEFINED);
        SentencePieceTokenizer t = v.tokenizer();
        assertThat(t.encode("<abcd>", false, false))
                .containsExactly(v.id("▁"), v.id("<0x3C>"), v.id("<0x61>"), v.id("bcd>"));
    }

    @Test
    void rstripTokensSwallowTheWhitespaceAfterThem() {
        Vocab v = base().bytes().normal("▁", -10).normal("h", -10).normal("▁h", -1)
                .add("<|end|>", 0, TokenType.CONTROL);
        int end = v.id("<|end|>");
        SentencePieceTokenizer t = v.tokenizer(new SpmOptions(true, false, true, Set.of(), Set.of(end)));
        assertThat(t.encode("h<|end|> \n h", false, true)).containsExactly(v.id("▁h"), end, v.id("▁h"));
        SentencePieceTokenizer l = v.tokenizer(new SpmOptions(true, false, true, Set.of(end), Set.of()));
        assertThat(l.encode("h \t<|end|>", false, true)).containsExactly(v.id("▁h"), end);
    }

    @Test
    void withoutSpacePrefixNothingIsAddedOrRemoved() {
        Vocab v = base().bytes().normal("▁", -10).normal("h", -10).normal("▁h", -1);
        SentencePieceTokenizer t = v.tokenizer(new SpmOptions(true, false, false, Set.of(), Set.of()));
        assertThat(t.encode("h h", false, false)).containsExactly(v.id("h"), v.id("▁h"));
        assertThat(t.decode(new int[] {v.id("▁h"), v.id("h")})).isEqualTo(" hh");
    }

    @Test
    void decodingDropsControlAndUnknownAndStripsOnlyTheFirstToken() {
        Vocab v = base().bytes().normal("▁", -10).normal("▁h", -1).add("[unused]", 0, TokenType.UNUSED);
        SentencePieceTokenizer t = v.tokenizer();
        int h = v.id("▁h");
        assertThat(t.decode(new int[] {h, h})).isEqualTo("h h");
        assertThat(t.decode(new int[] {1, h, 0, 2, v.id("[unused]")})).isEqualTo(" h");
        assertThat(t.decode(new int[] {v.id("<0xE2>"), v.id("<0x82>"), v.id("<0xAC>")})).isEqualTo("€");
    }

    @Test
    void emptyTextGivesNothingButTheBos() {
        SentencePieceTokenizer t = base().bytes().normal("▁", -10).tokenizer();
        assertThat(t.encode("", false, false)).isEmpty();
        assertThat(t.encode("", true, false)).containsExactly(1);
    }

    @Test
    void unpairedSurrogatesEncodeAsTheReplacementCharacter() {
        SentencePieceTokenizer t = base().bytes().normal("▁", -10).tokenizer();
        assertThat(t.decode(t.encode("a\uD800b", false, false))).isEqualTo("a\uFFFDb");
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        SentencePieceTokenizer t = base().bytes().normal("▁", -10).tokenizer();
        assertThatThrownBy(() -> t.decode(new int[] {t.vocabSize()})).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("token id " + t.vocabSize());
        assertThatThrownBy(() -> t.newStreamingDecoder().next(-1)).isInstanceOf(InvalidRequestException.class);
    }
}
