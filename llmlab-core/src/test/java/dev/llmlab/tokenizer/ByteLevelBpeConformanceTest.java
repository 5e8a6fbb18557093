package dev.llmlab.tokenizer;

import dev.llmlab.testing.VocabCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp's own test cases for the byte-level BPE ({@code gpt2}) vocabularies in ../shared/fixtures/vocab,
 * id for id, each with the pre-tokenizer its {@code tokenizer.ggml.pre} names; decoding the expected ids gives
 * the text back (byte-level BPE is lossless).
 */
class ByteLevelBpeConformanceTest {

    @TestFactory
    Stream<DynamicTest> gpt2() throws IOException {
        return casesOf("gpt-2");
    }

    @TestFactory
    Stream<DynamicTest> llama3() throws IOException {
        return casesOf("llama-bpe");
    }

    @TestFactory
    Stream<DynamicTest> qwen2() throws IOException {
        return casesOf("qwen2");
    }

    @TestFactory
    Stream<DynamicTest> starcoder() throws IOException {
        return casesOf("starcoder");
    }

    @TestFactory
    Stream<DynamicTest> falcon() throws IOException {
        return casesOf("falcon");
    }

    private Stream<DynamicTest> casesOf(String name) throws IOException {
        ByteLevelBpeTokenizer tokenizer = TestTokenizers.bpeVocab(name);
        List<VocabCases.Case> cases = VocabCases.read(name);
        return cases.stream().flatMap(c -> Stream.of(
                DynamicTest.dynamicTest(name + " #" + c.index() + " encode " + VocabCases.printable(c.text()), () ->
                        assertThat(tokenizer.encode(c.text(), false, false))
                                .as("ids of %s", VocabCases.printable(c.text()))
                                .containsExactly(c.expected())),
                DynamicTest.dynamicTest(name + " #" + c.index() + " decode " + VocabCases.printable(c.text()), () ->
                        assertThat(tokenizer.decode(c.expected())).isEqualTo(c.text()))));
    }
}
