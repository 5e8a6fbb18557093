package dev.llmlab.tokenizer.hf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.llmlab.tokenizer.Tokenizer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llmlab's tokenizer.json pipeline against Hugging Face's {@code tokenizers} library itself (through
 * ai.djl.huggingface:tokenizers and its bundled native library) on random Unicode text, for every tokenizer.json
 * of {@link TokenizerJsonFixtures}: ids without and with the post-processor's special tokens, and the decoded
 * text (special tokens skipped).
 */
class HfTokenizersOracleTest {
    private static final int STRINGS = 1000;

    @TestFactory
    Stream<DynamicTest> sameIdsAndTextAsHuggingFace() {
        return TokenizerJsonFixtures.NAMES.stream().map(name -> DynamicTest.dynamicTest(name, () -> compare(name)));
    }

    private static void compare(String name) throws IOException {
        Path dir = TokenizerJsonFixtures.dir(name);
        Tokenizer ours = HfTokenizerLoader.load(dir);
        try (HuggingFaceTokenizer oracle = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false",
                        "maxLength", "1000000"))) {
            RandomText random = new RandomText(name.hashCode());
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < STRINGS && failures.size() < 5; i++) {
                String text = random.next();
                long[] expected = oracle.encode(text, false, false).getIds();
                int[] actual = ours.encode(text, false, true);
                if (!Arrays.equals(toLongs(actual), expected)) {
                    failures.add("encode " + show(text) + "\n  hf:     " + Arrays.toString(expected)
                            + "\n  llmlab: " + Arrays.toString(actual));
                    continue;
                }
                long[] expectedSpecial = oracle.encode(text, true, false).getIds();
                int[] actualSpecial = ours.encode(text, ours.addBosByDefault(), true);
                if (!Arrays.equals(toLongs(actualSpecial), expectedSpecial)) {
                    failures.add("encode with special tokens " + show(text) + "\n  hf:     "
                            + Arrays.toString(expectedSpecial) + "\n  llmlab: " + Arrays.toString(actualSpecial));
                    continue;
                }
                String expectedText = oracle.decode(expected, true);
                String actualText = ours.decode(actual);
                if (!actualText.equals(expectedText)) {
                    failures.add("decode " + show(text) + "\n  hf:     " + show(expectedText)
                            + "\n  llmlab: " + show(actualText));
                }
            }
            assertThat(failures).as(name + ": differences from Hugging Face tokenizers").isEmpty();
        }
    }

    private static long[] toLongs(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }

    private static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.isWhitespace(cp) && cp != ' ') {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
