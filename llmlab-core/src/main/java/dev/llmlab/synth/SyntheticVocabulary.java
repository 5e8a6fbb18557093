package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A SentencePiece-style ("llama") vocabulary laid out like stories260K's: {@code <unk>}, {@code <s>}, {@code </s>},
 * the 256 byte tokens {@code <0x00>}..{@code <0xFF>}, then normal pieces with falling scores. The pieces are letters,
 * every prefix of common words (so SentencePiece merges reach whole words) and then letter combinations until the
 * vocabulary is full. Any text tokenizes: what no piece covers falls back to byte tokens.
 *
 * @param tokens     the pieces, by id
 * @param scores     log-probability-like scores: 0 for special and byte tokens, then 0, -1, -2, ...
 * @param tokenTypes llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte
 */
public record SyntheticVocabulary(List<String> tokens, float[] scores, long[] tokenTypes) {
    public static final int UNKNOWN_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int FIRST_BYTE_ID = 3;
    public static final int FIRST_NORMAL_ID = FIRST_BYTE_ID + 256;
    public static final int TYPE_NORMAL = 1;
    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_BYTE = 6;

    /** SentencePiece's word-boundary marker (U+2581), which stands for a space. */
    public static final String SPACE = "\u2581";

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final String SYMBOLS = "0123456789.,!?'\":;-()";
    private static final List<String> WORDS = List.of(
            "the", "a", "and", "to", "was", "he", "she", "it", "of", "in", "his", "her", "they", "said", "day",
            "with", "on", "that", "you", "for", "one", "big", "little", "mom", "tim", "lily", "had", "were",
            "saw", "very", "happy", "time", "once", "upon", "there", "play", "friend", "friends", "wanted",
            "went", "not", "but", "so", "is", "are", "be", "can", "all", "what", "up", "out", "we", "do", "go",
            "at", "no", "too", "me", "my", "like", "fun", "dog", "cat", "ball", "tree", "sun", "run", "park",
            "home", "good", "help", "look", "toy", "box", "red", "blue", "sad", "love", "new", "did", "back",
            "this", "from", "then", "them", "when", "have", "will", "get", "see", "how", "who", "an", "by",
            "hello", "world", "story", "small", "name", "named", "bird", "fish", "water", "car", "boy", "girl");

    public SyntheticVocabulary {
        tokens = List.copyOf(tokens);
        scores = scores.clone();
        tokenTypes = tokenTypes.clone();
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public long[] tokenTypes() {
        return tokenTypes.clone();
    }

    public int size() {
        return tokens.size();
    }

    /** A vocabulary of exactly {@code size} unique pieces; deterministic. */
    public static SyntheticVocabulary llamaStyle(int size) {
        if (size < FIRST_NORMAL_ID) {
            throw new InvalidRequestException("a byte-fallback vocabulary needs at least " + FIRST_NORMAL_ID
                    + " tokens, got " + size);
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add("<unk>");
        pieces.add("<s>");
        pieces.add("</s>");
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format(Locale.ROOT, "<0x%02X>", b));
        }
        addNormalPieces(pieces, size);

        List<String> tokens = new ArrayList<>(pieces);
        float[] scores = new float[size];
        long[] types = new long[size];
        types[UNKNOWN_ID] = TYPE_UNKNOWN;
        types[BOS_ID] = TYPE_CONTROL;
        types[EOS_ID] = TYPE_CONTROL;
        for (int i = FIRST_BYTE_ID; i < FIRST_NORMAL_ID; i++) {
            types[i] = TYPE_BYTE;
        }
        for (int i = FIRST_NORMAL_ID; i < size; i++) {
            types[i] = TYPE_NORMAL;
            scores[i] = -(i - FIRST_NORMAL_ID);
        }
        return new SyntheticVocabulary(tokens, scores, types);
    }

    private static void addNormalPieces(Set<String> pieces, int size) {
        List<String> candidates = new ArrayList<>();
        candidates.add(SPACE);
        for (char c : (LETTERS + LETTERS.toUpperCase(Locale.ROOT) + SYMBOLS).toCharArray()) {
            candidates.add(String.valueOf(c));
        }
        for (char c : (LETTERS + LETTERS.toUpperCase(Locale.ROOT)).toCharArray()) {
            candidates.add(SPACE + c);
        }
        for (String word : WORDS) {
            String spaced = SPACE + word;
            for (int end = 2; end <= spaced.length(); end++) {
                candidates.add(spaced.substring(0, end));
            }
        }
        for (String c : candidates) {
            if (pieces.size() == size) {
                return;
            }
            pieces.add(c);
        }
        // Then every lowercase letter combination, shortest first, bare and word-initial, until full.
        for (int length = 2; pieces.size() < size; length++) {
            int[] digits = new int[length];
            char[] chars = new char[length];
            while (pieces.size() < size) {
                for (int i = 0; i < length; i++) {
                    chars[i] = LETTERS.charAt(digits[i]);
                }
                String s = new String(chars);
                pieces.add(s);
                if (pieces.size() < size) {
                    pieces.add(SPACE + s);
                }
                if (!increment(digits)) {
                    break;
                }
            }
        }
    }

    /** Advances a base-26 counter; false once it wraps around. */
    private static boolean increment(int[] digits) {
        for (int i = digits.length - 1; i >= 0; i--) {
            if (++digits[i] < LETTERS.length()) {
                return true;
            }
            digits[i] = 0;
        }
        return false;
    }
}
