package dev.llmlab.tokenizer;

import dev.llmlab.testing.Fixtures;
import dev.llmlab.tokenizer.hf.HfTokenizerLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-level BPE is lossless: every string of valid code points comes back from its tokens unchanged, provided
 * each of its UTF-8 bytes has a token (Falcon's and StarCoder's vocabularies lack a few control bytes, which llama.cpp drops too).
 */
class ByteLevelBpePropertiesTest {
    private static final List<String> VOCABS = List.of("gpt-2", "llama-bpe", "qwen2", "starcoder", "falcon");
    private static final Tokenizer GPT2_JSON = HfTokenizerLoader.load(
            Fixtures.sharedFile("fixtures/hf/tiny-gpt2/tokenizer.json").getParent());

    @Property(tries = 300)
    void decodeInvertsEncode(@ForAll("texts") String s) {
        for (String name : VOCABS) {
            ByteLevelBpeTokenizer t = TestTokenizers.bpeVocab(name);
            if (everyByteHasAToken(t, s)) {
                assertThat(t.decode(t.encode(s, false, false))).as(name).isEqualTo(s);
            }
        }
    }

    private static boolean everyByteHasAToken(ByteLevelBpeTokenizer t, String s) {
        String encoded = ByteLevelAlphabet.encode(s);
        return encoded.chars().allMatch(c -> t.vocabulary().id(String.valueOf((char) c)).isPresent());
    }

    @Property(tries = 300)
    void theGpt2TokenizerJsonIsLosslessToo(@ForAll("texts") String s) {
        Tokenizer t = GPT2_JSON;
        assertThat(t.decode(t.encode(s, false, false))).isEqualTo(s);
        assertThat(t.decode(t.encode(s, false, true))).as("special tokens parsed, and dropped when decoding")
                .isEqualTo(s.replace("<|endoftext|>", ""));
    }

    @Property(tries = 200)
    void streamingPiecesConcatenateToTheWholeDecode(@ForAll("texts") String s) {
        ByteLevelBpeTokenizer t = TestTokenizers.bpeVocab("llama-bpe");
        StreamingDecoder decoder = t.newStreamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : t.encode(s, true, false)) {
            streamed.append(decoder.next(id));
        }
        streamed.append(decoder.flush());
        assertThat(streamed.toString()).isEqualTo(s);
    }

    /** Words, white-space runs, digits, CJK, emoji, combining marks, and arbitrary code points of every plane. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        Arbitrary<Integer> common = Arbitraries.of(" abcXYZ.,!?'\n\r\t0123456789é中文\u0301\u00a0\u3000"
                .codePoints().boxed().toList());
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(Tuple.of(6, common), Tuple.of(1, any));
        Arbitrary<String> words = Arbitraries.of("Hello", " world", "'s", "'LL", " 12345", "   ", "\n\n", " \n",
                "😀", "👨‍👩‍👧", "<|endoftext|>", "<s>", "ümlaut", " 你好");
        Arbitrary<String> chars = codePoint.list().ofMaxSize(40)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString());
        return Arbitraries.oneOf(chars, Arbitraries.oneOf(words, chars).list().ofMaxSize(8)
                .map(parts -> String.join("", parts)));
    }
}
