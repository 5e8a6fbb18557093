package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding of one pre-tokenized word, shared by the GGUF {@code gpt2} tokenizer and tokenizer.json's
 * BPE model. The word starts as one symbol per character (looked up in the vocabulary); adjacent pairs merge
 * lowest rank first, ties leftmost first, until no pair merges. This is both llama.cpp's
 * {@code llm_tokenizer_bpe_session} and Hugging Face's {@code Word::merge_all}. Characters that are not tokens
 * become byte-fallback tokens {@code <0xXX>} (if enabled and present), else the unknown token (consecutive
 * ones fused if asked), else nothing. Results are cached per word. Immutable and thread-safe.
 */
public final class BpeModel {
    private static final int CACHE_LIMIT = 100_000;
    private static final int CACHED_WORD_LENGTH = 256;

    private final Map<String, Integer> vocab;
    private final BpeMerges merges;
    private final Options options;
    private final int[] byteTokens = new int[256];
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param ignoreMerges a word that is itself a token is taken whole (Llama 3, tokenizer.json {@code ignore_merges})
     * @param byteFallback characters that are not tokens become their UTF-8 bytes as {@code <0xXX>} tokens
     * @param unk          the token for characters that are not tokens, or -1 to drop them
     * @param fuseUnk      consecutive unknown characters give one unknown token
     */
    public record Options(boolean ignoreMerges, boolean byteFallback, int unk, boolean fuseUnk) {
        public static Options plain() {
            return new Options(false, false, -1, false);
        }
    }

    public BpeModel(Map<String, Integer> vocab, BpeMerges merges, Options options) {
        this.vocab = Map.copyOf(vocab);
        this.merges = merges;
        this.options = options;
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = this.vocab.getOrDefault(String.format("<0x%02X>", b), -1);
        }
    }

    /** Appends the tokens of {@code word} (already in the vocabulary's alphabet) to {@code out}. */
    public void encode(String word, IdList out) {
        if (word.isEmpty()) {
            return;
        }
        int[] ids = word.length() <= CACHED_WORD_LENGTH ? cache.get(word) : null;
        if (ids == null) {
            ids = encodeUncached(word);
            if (word.length() <= CACHED_WORD_LENGTH) {
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear(); // a crude bound: rare, and refilling is cheap
                }
                cache.put(word, ids);
            }
        }
        for (int id : ids) {
            out.add(id);
        }
    }

    /** The tokens of one word, as an array (for callers outside this package). */
    public int[] encode(String word) {
        IdList out = new IdList(word.length());
        encode(word, out);
        return out.toArray();
    }

    private int[] encodeUncached(String word) {
        if (options.ignoreMerges()) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                return new int[] {whole};
            }
        }
        IdList symbols = new IdList(word.length());
        int pendingUnk = 0; // characters waiting to become unknown tokens (fused)
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            Integer id = vocab.get(word.substring(i, next));
            i = next;
            if (id != null) {
                pendingUnk = flushUnk(symbols, pendingUnk);
                symbols.add(id);
                continue;
            }
            if (options.byteFallback() && addBytes(cp, symbols)) {
                pendingUnk = flushUnk(symbols, pendingUnk);
                continue;
            }
            if (options.unk() >= 0) {
                if (pendingUnk > 0 && !options.fuseUnk()) {
                    pendingUnk = flushUnk(symbols, pendingUnk);
                }
                pendingUnk++;
            }
        }
        flushUnk(symbols, pendingUnk);
        return merge(symbols.toArray());
    }

    private int flushUnk(IdList symbols, int pending) {
        if (pending > 0) {
            symbols.add(options.unk());
        }
        return 0;
    }

    /** Adds the byte tokens of one character, or nothing (returning false) if any byte has no token. */
    private boolean addBytes(int cp, IdList symbols) {
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteTokens[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : bytes) {
            symbols.add(byteTokens[b & 0xFF]);
        }
        return true;
    }

    /** Merges adjacent symbols by rank, lowest first, ties leftmost, with a heap of candidate pairs. */
    private int[] merge(int[] ids) {
        int n = ids.length;
        if (n < 2) {
            return ids;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PairHeap heap = new PairHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            int rank = merges.rank(ids[i], ids[i + 1]);
            if (rank >= 0) {
                heap.push(rank, i);
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = next[left];
            if (ids[left] < 0 || right < 0 || merges.rank(ids[left], ids[right]) != rank) {
                continue; // stale: a neighbour merged since this pair was queued
            }
            ids[left] = merges.result(ids[left], ids[right]);
            ids[right] = -1;
            alive--;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                int r = merges.rank(ids[prev[left]], ids[left]);
                if (r >= 0) {
                    heap.push(r, prev[left]);
                }
            }
            if (next[left] >= 0) {
                int r = merges.rank(ids[left], ids[next[left]]);
                if (r >= 0) {
                    heap.push(r, left);
                }
            }
        }
        int[] out = new int[alive];
        for (int i = 0, k = 0; i >= 0 && k < alive; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    /** A binary min-heap of (rank, position) packed into longs: rank first, then position (leftmost). */
    private static final class PairHeap {
        private long[] heap;
        private int size;

        PairHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int rank, int position) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            long v = ((long) rank << 32) | position;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
