package dev.llmlab.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pre-tokenization by regular expressions, as llama.cpp's {@code unicode_regex_split}: each pattern in turn
 * cuts every piece produced so far at its matches, keeping both the matches and the unmatched text between
 * them as pieces (Hugging Face's {@code Split} with behaviour {@code Isolated}). A pattern sees one piece at a
 * time: lookahead stops at the piece's end. Immutable and thread-safe.
 */
public final class RegexSplitter {
    /** Unicode White_Space, which llama.cpp and Hugging Face (Oniguruma) take for {@code \s}. */
    public static final String WHITESPACE = "[\\t\\n\\x0B\\f\\r\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029"
            + "\\u202F\\u205F\\u3000]";

    private final List<Pattern> patterns;

    public RegexSplitter(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * Compiles a pattern written in the Perl/Oniguruma dialect of tokenizer files: {@code \s} and {@code \S}
     * mean Unicode white space, {@code \p{L}} etc. are general categories, {@code (?i)} folds Unicode case.
     *
     * @throws java.util.regex.PatternSyntaxException if Java cannot compile it
     */
    public static Pattern compile(String regex) {
        StringBuilder sb = new StringBuilder(regex.length() + 64);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char n = regex.charAt(++i);
                if (n == 's') {
                    sb.append(inClass ? WHITESPACE.substring(1, WHITESPACE.length() - 1) : WHITESPACE);
                } else if (n == 'S' && !inClass) {
                    sb.append("[^").append(WHITESPACE, 1, WHITESPACE.length());
                } else {
                    sb.append(c).append(n);
                }
                continue;
            }
            if (c == '[' && !inClass) {
                inClass = true;
            } else if (c == ']' && inClass) {
                inClass = false;
            }
            sb.append(c);
        }
        return Pattern.compile(sb.toString(), Pattern.UNICODE_CASE);
    }

    /**
     * Splits {@code text[start, end)}.
     *
     * @return the end offsets of the pieces, in order (the last is {@code end}); empty if the range is empty
     */
    public int[] split(String text, int start, int end) {
        int[] bounds = {end};
        int count = start < end ? 1 : 0;
        for (Pattern pattern : patterns) {
            int[] out = new int[Math.max(4, count * 2)];
            int n = 0;
            Matcher m = pattern.matcher(text);
            int pieceStart = start;
            for (int p = 0; p < count; p++) {
                int pieceEnd = bounds[p];
                m.region(pieceStart, pieceEnd);
                int last = pieceStart;
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue; // an empty match cuts nothing
                    }
                    if (n + 2 > out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    if (m.start() > last) {
                        out[n++] = m.start();
                    }
                    out[n++] = m.end();
                    last = m.end();
                }
                if (last < pieceEnd) {
                    if (n + 1 > out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[n++] = pieceEnd;
                }
                pieceStart = pieceEnd;
            }
            bounds = out;
            count = n;
        }
        return Arrays.copyOf(bounds, count);
    }
}
