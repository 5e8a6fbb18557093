package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits text into raw-text fragments and whole special tokens before the merges, with the result of llama.cpp's
 * {@code tokenizer_st_partition}: special tokens (control, user-defined, unknown) are taken one after another,
 * longest text first (UTF-8 bytes; ties by id), and each splits every remaining raw fragment at its greedy
 * left-to-right occurrences. Control and unknown tokens take part only when parsing specials; user-defined ones
 * always. A token with rstrip (lstrip) swallows the ASCII whitespace after (before) it.
 *
 * <p>Rather than searching the text once per special token (thousands in some vocabularies), all occurrences
 * are found in one pass over a trie and then replayed in llama.cpp's order against a map of claimed chars.
 */
final class SpecialTokenSplitter {
    /** A fragment: either raw text {@code [start, end)} (token == -1) or one special token. */
    record Fragment(int start, int end, int token) {
        boolean isText() {
            return token < 0;
        }
    }

    private static final byte RAW = 0, TOKEN = 1, STRIPPED = 2;

    private final Vocabulary vocab;
    private final int[] rank;            // by token id: position in llama.cpp's order, or -1 if not special
    private final boolean[] parseOnly;   // by token id: only matched when parsing specials (control, unknown)
    private final Set<Integer> lstrip;
    private final Set<Integer> rstrip;
    private final Map<Long, Integer> trieEdges = new HashMap<>(); // (node << 16 | char) -> child node
    private final List<Integer> trieToken = new ArrayList<>();    // by node: token ending here, or -1
    private final boolean anyUserDefined;
    private final boolean[] startsSpecial = new boolean[Character.MAX_VALUE + 1]; // first chars, to skip fast

    SpecialTokenSplitter(Vocabulary vocab, Set<Integer> lstrip, Set<Integer> rstrip) {
        this.vocab = vocab;
        this.lstrip = Set.copyOf(lstrip);
        this.rstrip = Set.copyOf(rstrip);
        this.rank = new int[vocab.size()];
        this.parseOnly = new boolean[vocab.size()];
        Arrays.fill(rank, -1);
        List<Integer> specials = new ArrayList<>();
        boolean userDefined = false;
        for (int id = 0; id < vocab.size(); id++) {
            TokenType t = vocab.type(id);
            if (t == TokenType.CONTROL || t == TokenType.UNKNOWN || t == TokenType.USER_DEFINED) {
                specials.add(id);
                parseOnly[id] = t != TokenType.USER_DEFINED;
                userDefined |= t == TokenType.USER_DEFINED;
            }
        }
        this.anyUserDefined = userDefined;
        specials.sort(Comparator.comparingInt((Integer id) -> -utf8Length(vocab.piece(id))).thenComparing(id -> id));
        trieToken.add(-1);
        for (int r = 0; r < specials.size(); r++) {
            int id = specials.get(r);
            rank[id] = r;
            insert(vocab.piece(id), id);
        }
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        if (text.isEmpty()) {
            return List.of();
        }
        if (!parseSpecial && !anyUserDefined) {
            return List.of(new Fragment(0, text.length(), -1));
        }
        List<int[]> matches = findAll(text, parseSpecial); // {rank, position, token}
        if (matches.isEmpty()) {
            return List.of(new Fragment(0, text.length(), -1));
        }
        matches.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        byte[] state = new byte[text.length()];
        int[] tokenAt = new int[text.length()];
        for (int[] m : matches) {
            claim(text, state, tokenAt, m[1], m[2]);
        }
        return fragments(state, tokenAt);
    }

    /** Replays one occurrence in llama.cpp's order: taken only if it lies wholly in still-raw text. */
    private void claim(String text, byte[] state, int[] tokenAt, int pos, int id) {
        int end = pos + vocab.piece(id).length();
        for (int i = pos; i < end; i++) {
            if (state[i] != RAW) {
                return;
            }
        }
        Arrays.fill(state, pos, end, TOKEN);
        tokenAt[pos] = id;
        if (lstrip.contains(id)) {
            for (int i = pos - 1; i >= 0 && state[i] == RAW && isCSpace(text.charAt(i)); i--) {
                state[i] = STRIPPED;
            }
        }
        if (rstrip.contains(id)) {
            for (int i = end; i < text.length() && state[i] == RAW && isCSpace(text.charAt(i)); i++) {
                state[i] = STRIPPED;
            }
        }
    }

    private List<Fragment> fragments(byte[] state, int[] tokenAt) {
        List<Fragment> out = new ArrayList<>();
        int i = 0;
        while (i < state.length) {
            if (state[i] == STRIPPED) {
                i++;
            } else if (state[i] == TOKEN) {
                int id = tokenAt[i];
                int end = i + vocab.piece(id).length();
                out.add(new Fragment(i, end, id));
                i = end;
            } else {
                int from = i;
                while (i < state.length && state[i] == RAW) {
                    i++;
                }
                out.add(new Fragment(from, i, -1));
            }
        }
        return out;
    }

    private List<int[]> findAll(String text, boolean parseSpecial) {
        List<int[]> found = new ArrayList<>();
        for (int pos = 0; pos < text.length(); pos++) {
            if (!startsSpecial[text.charAt(pos)]) {
                continue;
            }
            int node = 0;
            for (int i = pos; i < text.length(); i++) {
                Integer child = trieEdges.get(edge(node, text.charAt(i)));
                if (child == null) {
                    break;
                }
                node = child;
                int id = trieToken.get(node);
                if (id >= 0 && (parseSpecial || !parseOnly[id])) {
                    found.add(new int[] {rank[id], pos, id});
                }
            }
        }
        return found;
    }

    private void insert(String piece, int id) {
        startsSpecial[piece.charAt(0)] = true;
        int node = 0;
        for (int i = 0; i < piece.length(); i++) {
            long key = edge(node, piece.charAt(i));
            Integer child = trieEdges.get(key);
            if (child == null) {
                child = trieToken.size();
                trieToken.add(-1);
                trieEdges.put(key, child);
            }
            node = child;
        }
        trieToken.set(node, id);
    }

    private static long edge(int node, char c) {
        return ((long) node << 16) | c;
    }

    /** C's isspace in the "C" locale, which llama.cpp applies byte by byte. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
