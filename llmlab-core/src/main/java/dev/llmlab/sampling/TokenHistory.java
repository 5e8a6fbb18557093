package dev.llmlab.sampling;

import java.util.Arrays;

/** The token ids of a sequence so far, appended one at a time. */
public final class TokenHistory {
    private int[] ids = new int[256];
    private int size;

    public void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    public void addAll(int[] tokens) {
        for (int t : tokens) {
            add(t);
        }
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return ids[i];
    }
}
