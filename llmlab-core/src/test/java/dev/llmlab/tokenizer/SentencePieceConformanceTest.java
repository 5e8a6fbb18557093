package dev.llmlab.tokenizer;

import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** llama.cpp's own tokenizer test cases (see ../shared/fixtures/vocab/FORMAT.md), id for id. */
class SentencePieceConformanceTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    record Case(int index, String text, int[] expected) {
    }

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
        List<Case> cases = read(name);
        return cases.stream().flatMap(c -> Stream.of(
                DynamicTest.dynamicTest(name + " #" + c.index() + " encode " + printable(c.text()), () ->
                        assertThat(tokenizer.encode(c.text(), false, false))
                                .as("ids of %s", printable(c.text()))
                                .containsExactly(c.expected())),
                DynamicTest.dynamicTest(name + " #" + c.index() + " decode " + printable(c.text()), () ->
                        assertThat(tokenizer.decode(c.expected())).isEqualTo(c.text()))));
    }

    static List<Case> read(String name) throws IOException {
        String input = Files.readString(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-" + name + ".gguf.inp"),
                StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>(Arrays.asList(input.split(SEPARATOR, -1)));
        if (texts.getLast().isEmpty()) {
            texts.removeLast(); // the file ends with a separator: nothing follows it
        }
        List<String> lines = Files.readAllLines(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-" + name + ".gguf.out"),
                StandardCharsets.UTF_8);
        assertThat(lines).as("one expected line per case of " + name).hasSize(texts.size());
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = lines.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0]
                    : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(i, texts.get(i), ids));
        }
        return cases;
    }

    private static String printable(String s) {
        String shown = s.replace("\n", "\\n").replace("\t", "\\t");
        return "\"" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "\"";
    }
}
