package dev.llmlab.tokenizer;

import java.util.Arrays;

/** A growable list of token ids, to avoid boxing while encoding. */
final class IdList {
    private int[] ids;
    private int size;

    IdList(int initialCapacity) {
        ids = new int[Math.max(8, initialCapacity)];
    }

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = id;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
