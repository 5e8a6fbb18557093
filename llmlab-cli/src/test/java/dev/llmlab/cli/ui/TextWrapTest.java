package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TextWrapTest {

    @Test
    void wrapsAtSpacesAndNewlines() {
        assertThat(TextWrap.wrap("Once upon a time there was", 10))
                .containsExactly("Once upon", "a time", "there was");
        assertThat(TextWrap.wrap("a\n\nb", 10)).containsExactly("a", "", "b");
        assertThat(TextWrap.wrap("", 10)).containsExactly("");
    }

    @Test
    void splitsWordsLongerThanTheWidth() {
        assertThat(TextWrap.wrap("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(TextWrap.wrap("x abcdefghij", 4)).containsExactly("x", "abcd", "efgh", "ij");
    }

    @Test
    void dropsControlCharactersAndExpandsTabs() {
        assertThat(TextWrap.wrap("a\tb\u001b[31mc\r", 20)).containsExactly("a    b[31mc");
    }

    @Test
    void linesBeforeTheLastNeverChangeWhenTextIsAppended() {
        Random random = new Random(1);
        String alphabet = "ab  cdefg\nhij klmno pé€😀";
        for (int trial = 0; trial < 200; trial++) {
            StringBuilder text = new StringBuilder();
            int width = 3 + random.nextInt(12);
            for (int step = 0; step < 60; step++) {
                List<String> before = TextWrap.wrap(text.toString(), width);
                text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                List<String> after = TextWrap.wrap(text.toString(), width);
                assertThat(after.subList(0, before.size() - 1))
                        .as("width %d, text '%s'", width, text)
                        .isEqualTo(before.subList(0, before.size() - 1));
                after.forEach(line -> assertThat(TextWrap.length(line)).isLessThanOrEqualTo(width));
            }
        }
    }
}
