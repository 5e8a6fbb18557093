package dev.llmlab.tokenizer.hf;

import dev.llmlab.tokenizer.ByteLevelAlphabet;
import dev.llmlab.tokenizer.RegexSplitter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tokenizer.json {@code pre_tokenizer}: cuts each piece of text into smaller pieces (words) that the model
 * encodes independently, following Hugging Face's semantics (empty pieces are dropped). Immutable.
 */
sealed interface HfPreTokenizer {

    /**
     * A piece of text.
     *
     * @param atStart the piece begins at offset 0 of the original input ({@code Metaspace}'s "first" scheme)
     */
    record Piece(String text, boolean atStart) {
    }

    /** How {@link Split} treats the delimiters it finds (Hugging Face's {@code SplitDelimiterBehavior}). */
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    List<Piece> split(Piece piece);

    default List<Piece> apply(List<Piece> pieces) {
        List<Piece> out = new ArrayList<>(pieces.size() * 2);
        for (Piece p : pieces) {
            out.addAll(split(p));
        }
        return out;
    }

    record Sequence(List<HfPreTokenizer> steps) implements HfPreTokenizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public List<Piece> split(Piece piece) {
            return apply(List.of(piece));
        }

        @Override
        public List<Piece> apply(List<Piece> pieces) {
            List<Piece> current = pieces;
            for (HfPreTokenizer step : steps) {
                current = step.apply(current);
            }
            return current;
        }
    }

    /**
     * GPT-2's pre-tokenizer: an optional leading space, the GPT-2 split expression, then every UTF-8 byte
     * written as its {@link ByteLevelAlphabet} character.
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements HfPreTokenizer {
        private static final Pattern GPT2 = RegexSplitter.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

        @Override
        public List<Piece> split(Piece piece) {
            String text = addPrefixSpace && !piece.text().startsWith(" ") ? " " + piece.text() : piece.text();
            List<Piece> words = useRegex
                    ? Splits.byRegex(new Piece(text, piece.atStart()), GPT2, false, Behavior.ISOLATED)
                    : List.of(new Piece(text, piece.atStart()));
            List<Piece> out = new ArrayList<>(words.size());
            for (Piece w : words) {
                out.add(new Piece(ByteLevelAlphabet.encode(w.text()), w.atStart()));
            }
            return out;
        }
    }

    record Split(Pattern pattern, Behavior behavior, boolean invert) implements HfPreTokenizer {
        @Override
        public List<Piece> split(Piece piece) {
            return Splits.byRegex(piece, pattern, invert, behavior);
        }
    }

    /**
     * SentencePiece's spaces: each space becomes {@code replacement}, which is also put before the piece
     * ({@code always}, or {@code first}: only before the piece that starts the input), and optionally splits
     * words before each replacement character.
     */
    record Metaspace(char replacement, PrependScheme scheme, boolean splitWords) implements HfPreTokenizer {
        enum PrependScheme { ALWAYS, FIRST, NEVER }

        @Override
        public List<Piece> split(Piece piece) {
            String text = piece.text().replace(' ', replacement);
            boolean prepend = switch (scheme) {
                case ALWAYS -> true;
                case FIRST -> piece.atStart();
                case NEVER -> false;
            };
            if (prepend && !text.isEmpty() && text.charAt(0) != replacement) {
                text = replacement + text;
            }
            Piece p = new Piece(text, piece.atStart());
            if (!splitWords) {
                return text.isEmpty() ? List.of() : List.of(p);
            }
            return Splits.byCodePoint(p, cp -> cp == replacement, Behavior.MERGED_WITH_NEXT);
        }
    }

    /** Digits apart from the rest: each alone ({@code individual_digits}) or in runs. */
    record Digits(boolean individual) implements HfPreTokenizer {
        @Override
        public List<Piece> split(Piece piece) {
            return Splits.byCodePoint(piece, cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER
                            || Character.getType(cp) == Character.LETTER_NUMBER
                            || Character.getType(cp) == Character.OTHER_NUMBER,
                    individual ? Behavior.ISOLATED : Behavior.CONTIGUOUS);
        }
    }

    /** Hugging Face's {@code NormalizedString::split}: matches and gaps, then merged per behaviour. */
    final class Splits {
        private Splits() {
        }

        static List<Piece> byRegex(Piece piece, Pattern pattern, boolean invert, Behavior behavior) {
            if (behavior == Behavior.ISOLATED) {
                return isolated(piece, pattern); // the common case, without the intermediate lists
            }
            String s = piece.text();
            List<int[]> segments = new ArrayList<>(); // {start, end, isMatch}
            Matcher m = pattern.matcher(s);
            int prev = 0;
            while (m.find()) {
                if (m.start() == m.end()) {
                    continue; // empty matches become empty pieces, which are dropped anyway
                }
                if (prev != m.start()) {
                    segments.add(new int[] {prev, m.start(), invert ? 1 : 0});
                }
                segments.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
                prev = m.end();
            }
            if (prev != s.length()) {
                segments.add(new int[] {prev, s.length(), invert ? 1 : 0});
            }
            return merge(piece, segments, behavior);
        }

        /** Matches and the gaps between them, each a piece (inverting changes nothing here). */
        private static List<Piece> isolated(Piece piece, Pattern pattern) {
            String s = piece.text();
            List<Piece> out = new ArrayList<>();
            Matcher m = pattern.matcher(s);
            int prev = 0;
            while (m.find()) {
                if (m.start() == m.end()) {
                    continue;
                }
                if (prev != m.start()) {
                    out.add(new Piece(s.substring(prev, m.start()), piece.atStart() && prev == 0));
                }
                out.add(new Piece(s.substring(m.start(), m.end()), piece.atStart() && m.start() == 0));
                prev = m.end();
            }
            if (prev != s.length()) {
                out.add(new Piece(s.substring(prev), piece.atStart() && prev == 0));
            }
            return out;
        }

        static List<Piece> byCodePoint(Piece piece, java.util.function.IntPredicate matches, Behavior behavior) {
            String s = piece.text();
            List<int[]> segments = new ArrayList<>();
            int last = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (matches.test(cp)) {
                    if (last < i) {
                        segments.add(new int[] {last, i, 0});
                    }
                    segments.add(new int[] {i, next, 1});
                    last = next;
                }
                i = next;
            }
            if (last < s.length()) {
                segments.add(new int[] {last, s.length(), 0});
            }
            return merge(piece, segments, behavior);
        }

        private static List<Piece> merge(Piece piece, List<int[]> segments, Behavior behavior) {
            List<int[]> kept = new ArrayList<>(); // {start, end}
            boolean previousMatch = false;
            switch (behavior) {
                case ISOLATED -> segments.forEach(g -> kept.add(new int[] {g[0], g[1]}));
                case REMOVED -> segments.stream().filter(g -> g[2] == 0).forEach(g -> kept.add(new int[] {g[0], g[1]}));
                case CONTIGUOUS -> {
                    for (int[] g : segments) {
                        boolean isMatch = g[2] == 1;
                        if (isMatch == previousMatch && !kept.isEmpty()) {
                            kept.getLast()[1] = g[1];
                        } else {
                            kept.add(new int[] {g[0], g[1]});
                        }
                        previousMatch = isMatch;
                    }
                }
                case MERGED_WITH_PREVIOUS -> {
                    for (int[] g : segments) {
                        boolean isMatch = g[2] == 1;
                        if (isMatch && !previousMatch && !kept.isEmpty()) {
                            kept.getLast()[1] = g[1];
                        } else {
                            kept.add(new int[] {g[0], g[1]});
                        }
                        previousMatch = isMatch;
                    }
                }
                case MERGED_WITH_NEXT -> {
                    for (int i = segments.size() - 1; i >= 0; i--) {
                        int[] g = segments.get(i);
                        boolean isMatch = g[2] == 1;
                        if (isMatch && !previousMatch && !kept.isEmpty()) {
                            kept.getLast()[0] = g[0];
                        } else {
                            kept.add(new int[] {g[0], g[1]});
                        }
                        previousMatch = isMatch;
                    }
                    java.util.Collections.reverse(kept);
                }
            }
            List<Piece> out = new ArrayList<>(kept.size());
            for (int[] k : kept) {
                if (k[1] > k[0]) {
                    out.add(new Piece(piece.text().substring(k[0], k[1]), piece.atStart() && k[0] == 0));
                }
            }
            return out;
        }
    }
}
