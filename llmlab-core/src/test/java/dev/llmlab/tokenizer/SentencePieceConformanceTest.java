package dev.llmlab.tokenizer;

import dev.llmlab.testing.VocabCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** llama.cpp's own tokenizer test cases (see ../shared/fixtures/vocab/FORMAT.md), id for id. */
class SentencePieceConformanceTest {
    @TestFactory
    Stream<DynamicTest> llamaSpm() throws IOException {
        return casesOf("llama-spm");
    }

    @TestFactory
    Stream<DynamicTest> phi3() throws IOException {
        return casesOf("phi-3");
    }

    private Stream<DynamicTest> casesOf(String name) throws IOException {
        SentencePieceTokenizer tokenizer = TestTokenizers.vocab(name);
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
