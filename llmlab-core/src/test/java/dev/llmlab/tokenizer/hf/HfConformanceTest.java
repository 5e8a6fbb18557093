package dev.llmlab.tokenizer.hf;

import dev.llmlab.testing.VocabCases;
import dev.llmlab.tokenizer.Tokenizer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokenizer.json files written from llama.cpp's Llama 3 and Qwen2 vocabularies (in Hugging Face's layout, with
 * HF's original split expressions) give llama.cpp's expected ids for every conformance case: the GGUF and the
 * tokenizer.json paths agree with each other and with both references.
 */
class HfConformanceTest {

    @TestFactory
    Stream<DynamicTest> llama3() throws IOException {
        return casesOf("llama3", "llama-bpe");
    }

    @TestFactory
    Stream<DynamicTest> qwen2() throws IOException {
        return casesOf("qwen2", "qwen2");
    }

    private Stream<DynamicTest> casesOf(String json, String vocab) throws IOException {
        Tokenizer t = HfTokenizerLoader.load(TokenizerJsonFixtures.dir(json));
        return VocabCases.read(vocab).stream().map(c -> DynamicTest.dynamicTest(
                json + " #" + c.index() + " " + VocabCases.printable(c.text()),
                () -> assertThat(t.encode(c.text(), false, false)).containsExactly(c.expected())));
    }
}
