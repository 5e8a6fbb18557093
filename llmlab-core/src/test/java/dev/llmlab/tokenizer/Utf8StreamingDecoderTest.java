package dev.llmlab.tokenizer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The UTF-8 assembly alone: each "token" here is one byte, its id the byte value. */
class Utf8StreamingDecoderTest {
    private static final Utf8StreamingDecoder.TokenBytes ONE_BYTE = (id, first) -> new byte[] {(byte) id};

    private static String stream(int... bytes) {
        Utf8StreamingDecoder d = new Utf8StreamingDecoder(ONE_BYTE);
        StringBuilder sb = new StringBuilder();
        for (int b : bytes) {
            sb.append(d.next(b)).append('|');
        }
        return sb.append(d.flush()).toString();
    }

    @Test
    void holdsBackAnUnfinishedCharacterUntilItCompletes() {
        // U+1F600 😀 = F0 9F 98 80
        assertThat(stream(0x41, 0xF0, 0x9F, 0x98, 0x80, 0x42)).isEqualTo("A||||😀|B|");
    }

    @Test
    void malformedInputBecomesReplacementCharactersLikeTheJdk() {
        assertThat(stream(0xE2, 0x41)).isEqualTo("|\uFFFDA|");           // truncated, then ASCII
        assertThat(stream(0xC0, 0x80)).isEqualTo("\uFFFD|\uFFFD|");      // overlong lead
        assertThat(stream(0xED, 0xA0, 0x80)).isEqualTo("||\uFFFD|");     // encoded surrogate: one unit
        assertThat(stream(0xED, 0xA0, 0x41)).isEqualTo("||\uFFFDA|");
        assertThat(stream(0xF0, 0x9F, 0x98)).isEqualTo("|||\uFFFD");    // truncated at the end: flush
        assertThat(stream(0x80)).isEqualTo("\uFFFD|");                   // lone continuation
    }

    @Test
    void onlyTheFirstTokenIsFlaggedFirst() {
        StringBuilder flags = new StringBuilder();
        Utf8StreamingDecoder d = new Utf8StreamingDecoder((id, first) -> {
            flags.append(first ? 'F' : '-');
            return new byte[0];
        });
        d.next(1);
        d.next(2);
        d.next(3);
        assertThat(flags).hasToString("F--");
    }

    @Property(tries = 2000)
    void agreesWithTheJdkDecoderOnArbitraryBytes(@ForAll byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        assertThat(Utf8StreamingDecoder.decodeAll(ONE_BYTE, ids))
                .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    }
}
