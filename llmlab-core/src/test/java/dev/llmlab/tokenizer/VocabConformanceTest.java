package dev.llmlab.tokenizer;

import dev.llmlab.testing.VocabCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp's own tokenizer test cases (see ../shared/fixtures/vocab/FORMAT.md), id for id, for every vocabulary
 * there: SentencePiece-style ({@code llama} model) and byte-level BPE ({@code gpt2} model, each with the
 * pre-tokenizer its {@code tokenizer.ggml.pre} names). Decoding the expected ids gives the text back (byte-level
 * BPE is lossless; for these SentencePiece cases the leading space added by encoding is removed again).
 */
class VocabConformanceTest {

    @TestFactory
    Stream<DynamicTest> sentencePiece() throws IOException {
        return Stream.concat(casesOf("llama-spm"), casesOf("phi-3"));
    }

    @TestFactory
    Stream<DynamicTest> byteLevelBpe() throws IOException {
        Stream<DynamicTest> all = Stream.empty();
        for (String name : List.of("gpt-2", "llama-bpe", "qwen2", "starcoder", "falcon")) {
            all = Stream.concat(all, casesOf(name));
        }
        return all;
    }

    private Stream<DynamicTest> casesOf(String name) throws IOException {
        Tokenizer tokenizer = TestTokenizers.any("fixtures/vocab/ggml-vocab-" + name + ".gguf");
        return VocabCases.read(name).stream().flatMap(c -> Stream.of(
                DynamicTest.dynamicTest(name + " #" + c.index() + " encode " + VocabCases.printable(c.text()), () ->
                        assertThat(tokenizer.encode(c.text(), false, false))
                                .as("ids of %s", VocabCases.printable(c.text()))
                                .containsExactly(c.expected())),
                DynamicTest.dynamicTest(name + " #" + c.index() + " decode " + VocabCases.printable(c.text()), () ->
                        assertThat(tokenizer.decode(c.expected())).isEqualTo(c.text()))));
    }
}
