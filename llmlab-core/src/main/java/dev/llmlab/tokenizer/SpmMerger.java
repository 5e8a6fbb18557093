package dev.llmlab.tokenizer;

import dev.llmlab.error.ModelFormatException;

import java.util.Arrays;

/**
 * The SentencePiece-style bigram merge of llama.cpp's {@code llm_tokenizer_spm_session}, for one fragment of
 * already escaped text ({@code ▁} for spaces). Symbols start as single code points in a doubly linked list; a
 * max-heap holds candidate pairs whose concatenation is a vocabulary piece, ordered by that piece's score
 * (ties: leftmost). The best pair is merged and its new neighbours are offered, until no pair is left. Stale
 * heap entries are recognised by their length, as in llama.cpp: symbols only grow, so an unchanged total
 * length means an unchanged pair. Symbols that are not pieces fall back to byte tokens.
 *
 * <p>Speed without changing the result: the text is first cut wherever two neighbouring chars occur together in
 * no piece (typically before most {@code ▁}). No merge can cross such a cut, and the merge order restricted to
 * one side is the same, so each segment is merged on its own with a small, cache-friendly heap.
 *
 * <p>Not thread-safe: one instance per encode call.
 */
final class SpmMerger {
    private final Vocabulary vocab;
    private final PieceIndex index;
    private final int[] byteTokens;
    private final int unkId;

    // symbols: [start, start+len) in the text; prev/next link the live list; len 0 = merged away;
    // hash = PieceIndex.hash of the symbol's text, so a pair's hash costs one multiply-add
    private char[] text;
    private int[] start;
    private int[] len;
    private int[] hash;
    private int[] prev;
    private int[] next;

    // heap of candidate pairs (parallel arrays)
    private int[] heapLeft = new int[64];
    private int[] heapRight = new int[64];
    private float[] heapScore = new float[64];
    private int[] heapSize = new int[64];
    private int heapCount;

    /**
     * @param byteTokens for each byte value the id of its fallback token, or -1
     * @param unkId      the unknown token used when a byte has no fallback token, or -1
     */
    SpmMerger(Vocabulary vocab, int[] byteTokens, int unkId) {
        this.vocab = vocab;
        this.index = vocab.index();
        this.byteTokens = byteTokens;
        this.unkId = unkId;
    }

    /** Appends the tokens of {@code chars[0, length)}, text whose spaces are already {@code ▁}. */
    void tokenize(char[] chars, int length, IdList out) {
        text = chars;
        int from = 0;
        for (int i = 1; i < length; i++) {
            char a = chars[i - 1];
            char b = chars[i];
            boolean insideCodePoint = Character.isHighSurrogate(a) && Character.isLowSurrogate(b);
            if (!insideCodePoint && !index.adjacentInSomePiece(a, b)) {
                mergeSegment(from, i, out);
                from = i;
            }
        }
        mergeSegment(from, length, out);
    }

    private void mergeSegment(int from, int to, IdList out) {
        int n = splitCodePoints(from, to);
        if (n == 0) {
            return;
        }
        heapCount = 0;
        for (int i = 1; i < n; i++) {
            tryAddPair(i - 1, i);
        }
        while (heapCount > 0) {
            int left = heapLeft[0];
            int right = heapRight[0];
            int size = heapSize[0];
            pop();
            if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != size) {
                continue; // stale: one side was merged into something else since this pair was offered
            }
            hash[left] = index.combine(hash[left], hash[right], len[right]);
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            tryAddPair(prev[left], left);
            tryAddPair(left, next[left]);
        }
        for (int i = 0; i != -1; i = next[i]) {
            emit(i, out);
        }
    }

    private int splitCodePoints(int from, int to) {
        int length = to - from;
        if (start == null || start.length < length) {
            int capacity = Math.max(length, 64);
            start = new int[capacity];
            len = new int[capacity];
            hash = new int[capacity];
            prev = new int[capacity];
            next = new int[capacity];
        }
        int n = 0;
        for (int i = from; i < to; ) {
            int cpLen = Character.isHighSurrogate(text[i]) && i + 1 < to && Character.isLowSurrogate(text[i + 1])
                    ? 2 : 1;
            start[n] = i;
            len[n] = cpLen;
            hash[n] = PieceIndex.hash(text, i, cpLen);
            prev[n] = n - 1;
            next[n] = n + 1;
            n++;
            i += cpLen;
        }
        if (n > 0) {
            next[n - 1] = -1;
        }
        return n;
    }

    private void tryAddPair(int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        int size = len[left] + len[right];
        if (!index.plausibleLength(size)) {
            return;
        }
        int id = index.find(text, start[left], size, index.combine(hash[left], hash[right], len[right]));
        if (id >= 0) {
            push(left, right, vocab.score(id), size);
        }
    }

    /** A final symbol: its piece if the vocabulary has it, else its UTF-8 bytes as byte tokens. */
    private void emit(int symbol, IdList out) {
        int id = index.find(text, start[symbol], len[symbol], hash[symbol]);
        if (id >= 0) {
            out.add(id);
            return;
        }
        int cp = Character.codePointAt(text, start[symbol]);
        byte[] utf8 = Character.toString(cp).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : utf8) {
            int byteId = byteTokens[b & 0xFF];
            if (byteId < 0) {
                if (unkId < 0) {
                    throw new ModelFormatException(String.format(
                            "cannot encode U+%04X: the vocabulary has no piece for it, no byte token <0x%02X> and"
                                    + " no unknown token; the tokenizer metadata is incomplete", cp, b & 0xFF));
                }
                out.add(unkId); // one unknown token per character, as SentencePiece without byte fallback
                return;
            }
            out.add(byteId);
        }
    }

    // ---- binary max-heap: higher score first, then smaller left index ----

    private boolean before(int a, int b) {
        return heapScore[a] > heapScore[b] || (heapScore[a] == heapScore[b] && heapLeft[a] < heapLeft[b]);
    }

    private void push(int left, int right, float score, int size) {
        if (heapCount == heapLeft.length) {
            int cap = heapCount * 2;
            heapLeft = Arrays.copyOf(heapLeft, cap);
            heapRight = Arrays.copyOf(heapRight, cap);
            heapScore = Arrays.copyOf(heapScore, cap);
            heapSize = Arrays.copyOf(heapSize, cap);
        }
        int i = heapCount++;
        set(i, left, right, score, size);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void pop() {
        heapCount--;
        if (heapCount == 0) {
            return;
        }
        set(0, heapLeft[heapCount], heapRight[heapCount], heapScore[heapCount], heapSize[heapCount]);
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapCount) {
                break;
            }
            int best = l + 1 < heapCount && before(l + 1, l) ? l + 1 : l;
            if (!before(best, i)) {
                break;
            }
            swap(i, best);
            i = best;
        }
    }

    private void set(int i, int left, int right, float score, int size) {
        heapLeft[i] = left;
        heapRight[i] = right;
        heapScore[i] = score;
        heapSize[i] = size;
    }

    private void swap(int a, int b) {
        int l = heapLeft[a], r = heapRight[a], s = heapSize[a];
        float sc = heapScore[a];
        set(a, heapLeft[b], heapRight[b], heapScore[b], heapSize[b]);
        set(b, l, r, sc, s);
    }
}
