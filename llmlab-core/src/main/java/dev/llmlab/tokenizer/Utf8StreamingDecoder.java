package dev.llmlab.tokenizer;

/**
 * Turns token bytes into text incrementally. Bytes of an unfinished UTF-8 character are held back until it
 * completes; malformed input becomes U+FFFD exactly as {@code new String(bytes, UTF_8)} does (one per maximal
 * invalid subpart, except that an encoded surrogate counts as one unit). Whole-sequence decoding
 * ({@link #decodeAll}) runs the very same state machine, so the pieces of a stream always concatenate to the
 * whole decode. Not thread-safe; one per stream.
 */
public final class Utf8StreamingDecoder implements StreamingDecoder {

    /** The bytes a token contributes to the text; {@code first} is true for the first token of a sequence. */
    @FunctionalInterface
    public interface TokenBytes {
        byte[] bytes(int tokenId, boolean first);
    }

    private static final char REPLACEMENT = '\uFFFD';

    private final TokenBytes tokenBytes;
    private boolean first = true;
    private int codePoint;  // bits gathered so far for the pending character
    private int needed;     // continuation bytes still expected (0 = at a character boundary)
    private int lower = 0x80, upper = 0xBF; // allowed range of the next continuation byte

    public Utf8StreamingDecoder(TokenBytes tokenBytes) {
        this.tokenBytes = tokenBytes;
    }

    /** Decodes a whole sequence: {@code next} for every id, then {@code flush}. */
    public static String decodeAll(TokenBytes tokenBytes, int[] ids) {
        Utf8StreamingDecoder d = new Utf8StreamingDecoder(tokenBytes);
        StringBuilder sb = new StringBuilder(ids.length * 4);
        for (int id : ids) {
            d.append(d.take(id), sb);
        }
        d.finish(sb);
        return sb.toString();
    }

    @Override
    public String next(int tokenId) {
        byte[] bytes = take(tokenId);
        if (bytes.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(bytes.length + 1);
        append(bytes, sb);
        return sb.toString();
    }

    @Override
    public String flush() {
        StringBuilder sb = new StringBuilder(1);
        finish(sb);
        return sb.toString();
    }

    private byte[] take(int tokenId) {
        byte[] bytes = tokenBytes.bytes(tokenId, first);
        first = false;
        return bytes;
    }

    private void append(byte[] bytes, StringBuilder out) {
        for (byte value : bytes) {
            accept(value & 0xFF, out);
        }
    }

    private void finish(StringBuilder out) {
        if (needed > 0) {
            out.append(REPLACEMENT);
            needed = 0;
        }
    }

    private void accept(int b, StringBuilder out) {
        if (needed > 0) {
            if (b >= lower && b <= upper) {
                codePoint = (codePoint << 6) | (b & 0x3F);
                lower = 0x80;
                upper = 0xBF;
                if (--needed == 0) {
                    if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                        out.append(REPLACEMENT); // ED A0..BF xx: an encoded surrogate, one unit like the JDK
                    } else {
                        out.appendCodePoint(codePoint);
                    }
                }
                return;
            }
            // the pending prefix is a maximal invalid subpart; b starts afresh
            out.append(REPLACEMENT);
            needed = 0;
            lower = 0x80;
            upper = 0xBF;
        }
        if (b < 0x80) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            start(b & 0x1F, 1, 0x80, 0xBF);
        } else if (b >= 0xE0 && b <= 0xEF) {
            // E0: no overlongs (ED's surrogates are rejected when complete, as the JDK does)
            start(b & 0x0F, 2, b == 0xE0 ? 0xA0 : 0x80, 0xBF);
        } else if (b >= 0xF0 && b <= 0xF4) {
            // F0: no overlongs; F4: nothing above U+10FFFF
            start(b & 0x07, 3, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF);
        } else {
            out.append(REPLACEMENT); // continuation byte without a lead, or C0, C1, F5..FF
        }
    }

    private void start(int bits, int continuationBytes, int lo, int hi) {
        codePoint = bits;
        needed = continuationBytes;
        lower = lo;
        upper = hi;
    }
}
