package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-character table ({@code bytes_to_unicode}): every byte becomes a printable character, so a
 * byte-level vocabulary can store arbitrary bytes as text. Printable Latin-1 bytes map to themselves; the other
 * 68 bytes map to U+0100 onwards in byte order (space becomes {@code Ġ}, newline {@code Ċ}).
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 if it is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The UTF-8 bytes of {@code text}, each written as its alphabet character. */
    public static String encode(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * The bytes a byte-level piece stands for; characters outside the alphabet (which a well-formed vocabulary
     * does not hold) contribute their own UTF-8 bytes.
     */
    public static byte[] decode(String piece) {
        byte[] out = new byte[piece.length() * 3];
        int n = 0;
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            int b = byteOf(c);
            if (b >= 0) {
                out[n++] = (byte) b;
            } else {
                int cp = piece.codePointAt(i);
                byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                if (n + raw.length > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2 + raw.length);
                }
                System.arraycopy(raw, 0, out, n, raw.length);
                n += raw.length;
                i += Character.charCount(cp) - 1;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
