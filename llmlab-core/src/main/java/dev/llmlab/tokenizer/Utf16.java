package dev.llmlab.tokenizer;

/** Java strings may hold unpaired surrogates, which have no UTF-8 form; tokenizers see U+FFFD instead. */
public final class Utf16 {
    private Utf16() {
    }

    /** {@code text} with every unpaired surrogate replaced by U+FFFD (the same string if there is none). */
    public static String wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    StringBuilder sb = new StringBuilder(text.length());
                    text.codePoints().forEach(cp -> sb.appendCodePoint(
                            cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xFFFD : cp));
                    return sb.toString();
                }
                i++;
            }
        }
        return text;
    }
}
