package dev.llmlab.tokenizer.hf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tokenizer.json's {@code added_tokens} as Hugging Face's {@code AddedVocabulary} finds them in text: the
 * leftmost match, longest first (Aho-Corasick leftmost-longest), scanning on after each match; a special token
 * is skipped (left as text) when special tokens are not parsed; {@code single_word} tokens only match between
 * non-word characters; {@code lstrip}/{@code rstrip} swallow the white space before/after. Immutable.
 */
final class AddedTokens {
    /**
     * One added token.
     *
     * @param normalized matched in normalized text rather than in the raw input
     */
    record Token(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
                 boolean normalized) {
    }

    /** A piece of the input: raw text {@code [start, end)} ({@code id == -1}) or an added token. */
    record Segment(int start, int end, int id) {
        boolean isText() {
            return id < 0;
        }
    }

    private final Map<String, Token> byContent = new HashMap<>();
    private final Node root = new Node();
    private final java.util.BitSet firstChars = new java.util.BitSet(); // to skip most positions without a lookup

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        Token token;
    }

    AddedTokens(List<Token> tokens, java.util.function.UnaryOperator<String> contentForm) {
        for (Token t : tokens) {
            String content = contentForm.apply(t.content());
            if (content.isEmpty()) {
                continue;
            }
            byContent.put(content, t);
            firstChars.set(content.charAt(0));
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                node = node.children.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            node.token = t;
        }
    }

    boolean isEmpty() {
        return byContent.isEmpty();
    }

    /** Splits {@code text} at the added tokens found in it. */
    List<Segment> split(String text, boolean parseSpecial) {
        List<Segment> out = new ArrayList<>();
        int startOffset = 0;
        int pos = 0;
        while (pos < text.length()) {
            if (!firstChars.get(text.charAt(pos))) {
                pos++;
                continue;
            }
            Node node = root;
            Token longest = null;
            int longestEnd = -1;
            for (int i = pos; i < text.length(); i++) {
                node = node.children.get(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.token != null) {
                    longest = node.token;
                    longestEnd = i + 1;
                }
            }
            if (longest == null) {
                pos++;
                continue;
            }
            int start = pos;
            int stop = longestEnd;
            pos = longestEnd; // the automaton resumes after the match, whether or not it is used
            if (longest.special() && !parseSpecial) {
                continue;
            }
            if (longest.singleWord() && !(wordBoundaryBefore(text, start) && wordBoundaryAfter(text, stop))) {
                continue;
            }
            if (longest.lstrip()) {
                int s = start;
                while (s > 0 && isWhiteSpace(text.charAt(s - 1))) {
                    s--;
                }
                start = Math.max(s, startOffset);
            }
            if (longest.rstrip()) {
                while (stop < text.length() && isWhiteSpace(text.charAt(stop))) {
                    stop++;
                }
            }
            if (startOffset < start) {
                out.add(new Segment(startOffset, start, -1));
            }
            out.add(new Segment(start, stop, longest.id()));
            startOffset = stop;
        }
        if (startOffset < text.length()) {
            out.add(new Segment(startOffset, text.length(), -1));
        }
        return out;
    }

    private static boolean wordBoundaryBefore(String text, int index) {
        return index == 0 || !isWordChar(text.codePointBefore(index));
    }

    private static boolean wordBoundaryAfter(String text, int index) {
        return index >= text.length() || !isWordChar(text.codePointAt(index));
    }

    /** Unicode White_Space (Rust's {@code char::is_whitespace}); Java's isWhitespace differs on no-break spaces. */
    private static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F'
                || c == '\u205F' || c == '\u3000';
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
