package dev.llmlab.tokenizer;

import java.util.Arrays;

/**
 * Finds the id of a piece given as a range of a char array, without allocating: the merge loop looks up every
 * adjacent pair of symbols, mostly in vain, so lookups must be cheap. Open addressing with linear probing at
 * load factor 1/4; each slot keeps its piece's full hash so that misses rarely compare characters. The hash is
 * polynomial ({@link #combine}), so the merge loop can hash a pair from the hashes of its halves.
 */
final class PieceIndex {
    private static final int EMPTY = -1;
    private static final int MULTIPLIER = 31;

    private final char[][] pieces;
    private final int[] slotIds;
    private final int[] slotHashes;
    private final int mask;
    private final int[] powers; // MULTIPLIER^k for k up to twice the longest piece
    private final long[] adjacentPairs; // set of (a << 16 | b) for chars a, b adjacent in some piece; -1 = empty
    private final int pairMask;

    /**
     * @throws IllegalArgumentException naming both ids when a piece occurs twice
     */
    PieceIndex(String[] strings) {
        pieces = new char[strings.length][];
        int longest = 1;
        for (int i = 0; i < strings.length; i++) {
            pieces[i] = strings[i].toCharArray();
            longest = Math.max(longest, pieces[i].length);
        }
        int capacity = Integer.highestOneBit(Math.max(4, strings.length) * 4 - 1) << 1;
        slotIds = new int[capacity];
        slotHashes = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(slotIds, EMPTY);
        for (int id = 0; id < pieces.length; id++) {
            char[] p = pieces[id];
            int h = hash(p, 0, p.length);
            int slot = spread(h) & mask;
            while (slotIds[slot] != EMPTY) {
                if (slotHashes[slot] == h && Arrays.equals(pieces[slotIds[slot]], p)) {
                    throw new IllegalArgumentException("duplicate token in vocabulary: '" + strings[id]
                            + "' has ids " + slotIds[slot] + " and " + id);
                }
                slot = (slot + 1) & mask;
            }
            slotIds[slot] = id;
            slotHashes[slot] = h;
        }
        int pairCapacity = Integer.highestOneBit(Math.max(16, strings.length * 16) - 1) << 1;
        adjacentPairs = new long[pairCapacity];
        pairMask = pairCapacity - 1;
        Arrays.fill(adjacentPairs, -1L);
        for (char[] p : pieces) {
            for (int i = 1; i < p.length; i++) {
                addPair(p[i - 1], p[i]);
            }
        }
        powers = new int[2 * longest + 2];
        powers[0] = 1;
        for (int k = 1; k < powers.length; k++) {
            powers[k] = powers[k - 1] * MULTIPLIER;
        }
    }

    /** The polynomial hash of {@code text[start, start+length)}. */
    static int hash(char[] text, int start, int length) {
        int h = 0;
        for (int i = start, end = start + length; i < end; i++) {
            h = MULTIPLIER * h + text[i];
        }
        return h;
    }

    /** The hash of a concatenation from the hashes of its parts, or 0 if the result is too long to be a piece. */
    int combine(int leftHash, int rightHash, int rightLength) {
        return rightLength < powers.length ? leftHash * powers[rightLength] + rightHash : 0;
    }

    /** Whether any piece could be this long; longer ranges need no lookup. */
    boolean plausibleLength(int length) {
        return length < powers.length / 2;
    }

    /** The id of {@code text[start, start+length)} whose {@link #hash} is {@code h}, or -1. */
    int find(char[] text, int start, int length, int h) {
        int slot = spread(h) & mask;
        while (true) {
            int id = slotIds[slot];
            if (id == EMPTY) {
                return -1;
            }
            if (slotHashes[slot] == h) {
                char[] p = pieces[id];
                if (p.length == length && Arrays.equals(p, 0, length, text, start, start + length)) {
                    return id;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    int find(String piece) {
        char[] chars = piece.toCharArray();
        return find(chars, 0, chars.length, hash(chars, 0, chars.length));
    }

    /**
     * Whether the chars {@code a b} occur next to each other in some piece. If not, no piece can span the gap
     * between them in a text, so the merge may treat the two sides independently.
     */
    boolean adjacentInSomePiece(char a, char b) {
        long key = ((long) a << 16) | b;
        for (int slot = spread((int) key) & pairMask; ; slot = (slot + 1) & pairMask) {
            long k = adjacentPairs[slot];
            if (k == key) {
                return true;
            }
            if (k == -1L) {
                return false;
            }
        }
    }

    private void addPair(char a, char b) {
        long key = ((long) a << 16) | b;
        int slot = spread((int) key) & pairMask;
        while (adjacentPairs[slot] != -1L && adjacentPairs[slot] != key) {
            slot = (slot + 1) & pairMask;
        }
        adjacentPairs[slot] = key;
    }

    private static int spread(int h) {
        h *= 0x9E3779B9; // Fibonacci hashing: short pieces differ mostly in their low bits
        return h ^ (h >>> 15);
    }
}
