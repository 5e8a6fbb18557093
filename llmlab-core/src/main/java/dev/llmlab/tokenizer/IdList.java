package dev.llmlab.tokenizer;

import java.util.Arrays;

/** A growable list of token ids, to avoid boxing while encoding. */
public final class IdList {
    private int[] ids;
    private int size;

    public IdList(int initialCapacity) {
        ids = new int[Math.max(8, initialCapacity)];
    }

    public void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = id;
    }

    public int size() {
        return size;
    }

    public int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
