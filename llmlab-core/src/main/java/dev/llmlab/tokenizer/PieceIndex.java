package dev.llmlab.tokenizer;

/**
 * Finds the id of a piece given as a range of a larger string, without allocating a substring: the merge loop
 * looks up every adjacent pair of symbols, so a {@code HashMap<String, Integer>} lookup (one substring per
 * probe) would dominate encoding time. Open addressing with linear probing over the piece ids.
 */
final class PieceIndex {
    private static final int EMPTY = -1;

    private final String[] pieces;
    private final int[] slots;
    private final int mask;

    /**
     * @throws IllegalArgumentException naming both ids when a piece occurs twice
     */
    PieceIndex(String[] pieces) {
        this.pieces = pieces;
        int capacity = Integer.highestOneBit(Math.max(4, pieces.length * 2 - 1)) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        java.util.Arrays.fill(slots, EMPTY);
        for (int id = 0; id < pieces.length; id++) {
            String p = pieces[id];
            int slot = hash(p, 0, p.length()) & mask;
            while (slots[slot] != EMPTY) {
                if (pieces[slots[slot]].equals(p)) {
                    throw new IllegalArgumentException("duplicate token in vocabulary: '" + p + "' has ids "
                            + slots[slot] + " and " + id);
                }
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
        }
    }

    /** The id of {@code text[start, start+length)}, or -1. */
    int find(String text, int start, int length) {
        int slot = hash(text, start, length) & mask;
        while (true) {
            int id = slots[slot];
            if (id == EMPTY) {
                return -1;
            }
            String p = pieces[id];
            if (p.length() == length && text.regionMatches(start, p, 0, length)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    int find(String piece) {
        return find(piece, 0, piece.length());
    }

    private static int hash(String s, int start, int length) {
        int h = 0;
        for (int i = start, end = start + length; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        // spread the high bits: short pieces differ mostly in the low ones
        return h ^ (h >>> 16) ^ (h >>> 7);
    }
}
