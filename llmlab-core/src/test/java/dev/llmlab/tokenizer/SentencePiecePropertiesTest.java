package dev.llmlab.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips on real vocabularies. The leading-space rule, precisely: with {@code add_space_prefix} (both
 * vocabularies here), encoding prepends one space and decoding removes one leading space from the piece of the
 * token at position 0 only. So for every string of valid code points,
 * {@code decode(encode(s, false, false)) == s'} and {@code decode(encode(s, true, false)) == (s.isEmpty() ? "" : " " + s')},
 * where {@code s'} is {@code s} with each U+2581 (the vocabulary's space mark) replaced by a space. Texts of
 * user-defined tokens (none here) and parsed special tokens are outside the rule: they add a space after them.
 */
class SentencePiecePropertiesTest {

    @Property(tries = 300)
    void decodeInvertsEncodeOnStories260K(@ForAll("texts") String s) {
        SentencePieceTokenizer t = TestTokenizers.stories260K();
        assertThat(t.decode(t.encode(s, false, false))).isEqualTo(s.replace('\u2581', ' '));
    }

    @Property(tries = 300)
    void decodeInvertsEncodeOnLlamaSpm(@ForAll("texts") String s) {
        SentencePieceTokenizer t = TestTokenizers.vocab("llama-spm");
        assertThat(t.decode(t.encode(s, false, false))).isEqualTo(s.replace('\u2581', ' '));
    }

    @Property(tries = 300)
    void mergesLikeTheNaiveReference(@ForAll("texts") String s) {
        for (String name : new String[] {"llama-spm", "phi-3"}) {
            SentencePieceTokenizer t = TestTokenizers.vocab(name);
            assertThat(t.encode(s, false, false)).as(name).containsExactly(NaiveSpmReference.encode(t.vocabulary(), s));
        }
        SentencePieceTokenizer t = TestTokenizers.stories260K();
        assertThat(t.encode(s, false, false)).containsExactly(NaiveSpmReference.encode(t.vocabulary(), s));
    }

    @Property(tries = 200)
    void withBosTheLeadingSpaceStays(@ForAll("texts") String s) {
        SentencePieceTokenizer t = TestTokenizers.stories260K();
        String expected = s.isEmpty() ? "" : " " + s.replace('\u2581', ' ');
        assertThat(t.decode(t.encode(s, true, false))).isEqualTo(expected);
    }

    @Property(tries = 300)
    void streamingPiecesConcatenateToTheWholeDecode(@ForAll("idSequences") List<Integer> ids) {
        SentencePieceTokenizer t = TestTokenizers.stories260K();
        int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
        StreamingDecoder decoder = t.newStreamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : array) {
            String piece = decoder.next(id);
            assertThat(piece.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2)
                    .as("no half characters").isZero();
            streamed.append(piece);
        }
        streamed.append(decoder.flush());
        assertThat(streamed.toString()).isEqualTo(t.decode(array));
    }

    @Property(tries = 300)
    void encodedIdsAreInRange(@ForAll("texts") String s) {
        SentencePieceTokenizer t = TestTokenizers.stories260K();
        assertThat(java.util.stream.IntStream.of(t.encode(s, true, true)).boxed().toList())
                .allSatisfy(id -> assertThat(id).isBetween(0, t.vocabSize() - 1));
    }

    /** Mostly story-like text, with spaces, newlines, and arbitrary code points of every plane mixed in. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        Arbitrary<Integer> common = Arbitraries.of(" abcdefghijklmnopqrstuvwxyzLT.,!?'\n\t0123456789é▁"
                .codePoints().boxed().toList());
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, common), net.jqwik.api.Tuple.of(1, any));
        Arbitrary<String> words = Arbitraries.of("Once upon a time", " there was", " a little", " girl", " named",
                " Lily", ".", "\n", "  ", " the park", " 😀");
        Arbitrary<String> chars = codePoint.list().ofMaxSize(40)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString());
        return Arbitraries.oneOf(chars, Arbitraries.oneOf(words, chars).list().ofMaxSize(8)
                .map(parts -> String.join("", parts)));
    }

    /** Any ids, biased to byte tokens (3..258) so multi-byte characters get split across tokens. */
    @Provide
    Arbitrary<List<Integer>> idSequences() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 511);
        Arbitrary<Integer> bytes = Arbitraries.integers().between(3, 258);
        Arbitrary<Integer> utf8Leads = Arbitraries.of(3 + 0xC3, 3 + 0xE2, 3 + 0xF0, 3 + 0x9F, 3 + 0x98, 3 + 0x80);
        return Arbitraries.oneOf(any, bytes, utf8Leads).list().ofMaxSize(30);
    }
}
