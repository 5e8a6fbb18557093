package dev.llmlab.tokenizer.hf;

import java.util.List;
import java.util.Random;

/**
 * Random text for tokenizer comparisons, seeded: runs of ASCII words, white space (spaces, tabs, newlines,
 * carriage returns, no-break and ideographic spaces), digits, punctuation, contractions in any case, Latin
 * accents, Cyrillic, Arabic, Devanagari, CJK, emoji (ZWJ sequences, flags, skin tones), combining marks,
 * special-token-like text, SentencePiece's U+2581, and code points of every plane.
 */
final class RandomText {
    private static final List<String> WORDS = List.of("the", "The", "hello", "World", "tokenizer", "a", "I",
            "don", "can", "naïve", "café", "über", "Straße", "ЁЖИК", "привет", "مرحبا", "नमस्ते", "中文", "日本語",
            "한국어", "ไทย", "Ελληνικά", "x", "Lily", "foo_bar", "camelCase", "snake_case", "URL");
    private static final List<String> SPACES = List.of(" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ",
            "\u00a0", "\u3000", "\u2009", " \t ", "      ");
    private static final List<String> PUNCT = List.of(".", ",", "!", "?", "...", "'", "\"", "(", ")", "[", "]", "{",
            "}", "-", "--", "_", ":", ";", "/", "\\", "@", "#", "$", "%", "^", "&", "*", "+", "=", "<", ">", "|", "~",
            "`", "«", "»", "—", "…", "¿", "¡", "€", "©");
    private static final List<String> CONTRACTIONS = List.of("'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T",
            "'RE", "'Ve", "'M", "'LL", "'D", "n't");
    private static final List<String> EMOJI = List.of("😀", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇸", "🇯🇵", "❤️", "🤖", "✨",
            "🏳️‍🌈", "🧑🏿‍💻");
    private static final List<String> COMBINING = List.of("\u0301", "\u0308", "\u0327", "e\u0301", "a\u030a",
            "\u0915\u094d\u0937", "n\u0303");
    private static final List<String> SPECIAL_LIKE = List.of("<|endoftext|>", "<s>", "</s>", "<unk>", "<|im_start|>",
            "<|im_end|>", "<|begin_of_text|>", "<|eot_id|>", "<0x41>", "[INST]", "<<SYS>>", "<|", "|>", "<s", "\u2581",
            "\u2581\u2581", "Ġ", "Ċ");

    private final Random random;

    RandomText(long seed) {
        random = new Random(seed);
    }

    String next() {
        int parts = random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            int kind = random.nextInt(20);
            switch (kind) {
                case 0, 1, 2, 3 -> sb.append(pick(WORDS));
                case 4, 5, 6 -> sb.append(pick(SPACES));
                case 7 -> sb.append(random.nextInt(1_000_000_000) >> random.nextInt(30));
                case 8, 9 -> sb.append(pick(PUNCT));
                case 10 -> sb.append(pick(CONTRACTIONS));
                case 11 -> sb.append(pick(EMOJI));
                case 12 -> sb.append(pick(COMBINING));
                case 13 -> sb.append(pick(SPECIAL_LIKE));
                case 14 -> sb.appendCodePoint(anyCodePoint());
                case 15 -> sb.appendCodePoint(0x4E00 + random.nextInt(0x5000));
                case 16 -> sb.appendCodePoint(0x20 + random.nextInt(0x5F));
                case 17 -> sb.appendCodePoint(0xA0 + random.nextInt(0x2000));
                default -> sb.append(' ').append(pick(WORDS));
            }
        }
        return sb.toString();
    }

    private int anyCodePoint() {
        while (true) {
            int cp = random.nextInt(Character.MAX_CODE_POINT + 1);
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                return cp;
            }
        }
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
