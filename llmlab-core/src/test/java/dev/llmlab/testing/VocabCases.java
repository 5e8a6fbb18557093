package dev.llmlab.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** llama.cpp's tokenizer test cases in ../shared/fixtures/vocab (see FORMAT.md there). */
public final class VocabCases {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /** One case: the text and the ids llama.cpp gives it (no BOS, specials not parsed). */
    public record Case(int index, String text, int[] expected) {
    }

    private VocabCases() {
    }

    public static List<Case> read(String name) throws IOException {
        String input = Files.readString(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-" + name + ".gguf.inp"),
                StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>(Arrays.asList(input.split(SEPARATOR, -1)));
        if (texts.getLast().isEmpty()) {
            texts.removeLast(); // the file ends with a separator: nothing follows it
        }
        List<String> lines = Files.readAllLines(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-" + name + ".gguf.out"),
                StandardCharsets.UTF_8);
        if (lines.size() != texts.size()) {
            throw new AssertionError(name + ": " + texts.size() + " cases but " + lines.size() + " expected lines");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = lines.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0]
                    : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(i, texts.get(i), ids));
        }
        return cases;
    }

    /** The text shortened and with control characters escaped, for test names. */
    public static String printable(String s) {
        String shown = s.replace("\n", "\\n").replace("\t", "\\t");
        return "\"" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "\"";
    }
}
