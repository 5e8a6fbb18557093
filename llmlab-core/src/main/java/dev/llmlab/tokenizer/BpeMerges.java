package dev.llmlab.tokenizer;

import java.util.Arrays;

/**
 * The merge table of a BPE vocabulary: for a pair of token ids, its rank (lower merges first) and the id of
 * the merged token. Open addressing over primitive arrays: the merge loop looks up every adjacent pair, so a
 * boxed map would dominate encoding time. Immutable once built.
 */
public final class BpeMerges {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] results;
    private final int mask;
    private int size;

    /** A table with room for {@code expected} merges. */
    public BpeMerges(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        results = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /**
     * Adds the merge {@code left right -> result} with the next rank. A pair already present keeps its first
     * (lower) rank, as llama.cpp does.
     *
     * @return false if the pair was already present
     */
    public boolean add(int left, int right, int result) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                size++; // the rank is used up even though the pair keeps its first one
                return false;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ranks[slot] = size++;
        results[slot] = result;
        return true;
    }

    /** The rank of merging {@code left right}, or -1 if they do not merge. */
    int rank(int left, int right) {
        int slot = find(key(left, right));
        return slot < 0 ? -1 : ranks[slot];
    }

    /** The token that {@code left right} merge into (only valid when {@link #rank} is not -1). */
    int result(int left, int right) {
        return results[find(key(left, right))];
    }

    public int size() {
        return size;
    }

    private int find(long key) {
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
