package dev.llmlab.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * llama.cpp's default order: penalties (repetition, presence, frequency), top-k, top-p, min-p, temperature, then a seeded random draw
 * (or argmax when greedy). Filters keep candidates sorted by logit, most likely first.
 */
final class ChainSampler implements Sampler {
    private final SamplingParams p;
    private final SplittableRandom random;
    private int[] candidates = new int[0];
    private float[] probs = new float[0];

    ChainSampler(SamplingParams params) {
        this.p = params;
        this.random = new SplittableRandom(params.seed());
    }

    @Override
    public int sample(float[] logits, TokenHistory history) {
        applyRepeatPenalty(logits, history);
        if (p.isGreedy()) {
            return argmax(logits);
        }
        int n = sortedCandidates(logits, p.topK() > 0 ? Math.min(p.topK(), logits.length) : logits.length);
        // probabilities before temperature decide top-p and min-p, as in llama.cpp
        softmax(logits, n, 1f);
        n = topP(n);
        n = minP(n);
        softmax(logits, n, p.temperature());
        double r = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (r < cumulative) {
                return candidates[i];
            }
        }
        return candidates[n - 1];
    }

    /**
     * llama.cpp's penalties sampler: over the last repeatLastN tokens, the repeat penalty divides positive
     * logits (multiplies negative ones) of every token seen, then each seen token loses
     * count x frequencyPenalty + presencePenalty.
     */
    private void applyRepeatPenalty(float[] logits, TokenHistory history) {
        boolean repeat = p.repeatPenalty() != 1f;
        boolean openAi = p.presencePenalty() != 0f || p.frequencyPenalty() != 0f;
        if (!(repeat || openAi) || p.repeatLastN() == 0) {
            return;
        }
        int from = Math.max(0, history.size() - p.repeatLastN());
        int[] counts = new int[logits.length];
        for (int i = from; i < history.size(); i++) {
            int id = history.get(i);
            if (id >= 0 && id < logits.length) {
                counts[id]++;
            }
        }
        for (int id = 0; id < logits.length; id++) {
            if (counts[id] == 0) {
                continue;
            }
            if (repeat) {
                logits[id] = logits[id] > 0 ? logits[id] / p.repeatPenalty() : logits[id] * p.repeatPenalty();
            }
            logits[id] -= counts[id] * p.frequencyPenalty() + p.presencePenalty();
        }
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Fills {@link #candidates} with the k highest-logit ids, highest first; returns k. */
    private int sortedCandidates(float[] logits, int k) {
        if (candidates.length < logits.length) {
            candidates = new int[logits.length];
            probs = new float[logits.length];
        }
        topK(logits, k, candidates);
        return k;
    }

    /**
     * Writes the ids of the k highest logits to {@code out}, highest first, ties by lower id. A small k (the
     * usual top-k 40) keeps a min-heap of k candidates in one pass, O(n log k); sorting a 150k vocabulary
     * for every token would cost milliseconds.
     */
    static void topK(float[] logits, int k, int[] out) {
        if ((long) k * 8 >= logits.length) {
            long[] keys = new long[logits.length];
            for (int i = 0; i < logits.length; i++) {
                keys[i] = key(logits[i], i);
            }
            Arrays.sort(keys);
            for (int i = 0; i < k; i++) {
                out[i] = id(keys[keys.length - 1 - i]);
            }
            return;
        }
        long[] heap = new long[k]; // min-heap: the weakest kept candidate at the root
        int size = 0;
        for (int i = 0; i < logits.length; i++) {
            long key = key(logits[i], i);
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        Arrays.sort(heap);
        for (int i = 0; i < k; i++) {
            out[i] = id(heap[k - 1 - i]);
        }
    }

    /** Orders by logit, then by lower id; the id is recoverable. Larger key = more likely. */
    private static long key(float logit, int id) {
        int bits = Float.floatToIntBits(logit);
        int sortable = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return ((long) sortable << 32) | (0xFFFFFFFFL & ~id);
    }

    private static int id(long key) {
        return ~(int) key;
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= heap[i]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int i = 0;
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < size && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            long t = heap[smallest];
            heap[smallest] = heap[i];
            heap[i] = t;
            i = smallest;
        }
    }

    /** Softmax of the candidates' logits divided by temperature, into {@link #probs}. */
    private void softmax(float[] logits, int n, float temperature) {
        float max = logits[candidates[0]];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((logits[candidates[i]] - max) / temperature);
            probs[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            probs[i] = (float) (probs[i] / sum);
        }
    }

    private int topP(int n) {
        if (p.topP() >= 1f) {
            return n;
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= p.topP()) {
                return i + 1;
            }
        }
        return n;
    }

    private int minP(int n) {
        if (p.minP() <= 0f) {
            return n;
        }
        float threshold = probs[0] * p.minP();
        int kept = 1;
        while (kept < n && probs[kept] >= threshold) {
            kept++;
        }
        return kept;
    }
}
