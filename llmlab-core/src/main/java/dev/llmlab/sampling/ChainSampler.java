package dev.llmlab.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * llama.cpp's default order: repetition penalty, top-k, top-p, min-p, temperature, then a seeded random draw
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

    private void applyRepeatPenalty(float[] logits, TokenHistory history) {
        if (p.repeatPenalty() == 1f || p.repeatLastN() == 0) {
            return;
        }
        int from = Math.max(0, history.size() - p.repeatLastN());
        boolean[] seen = new boolean[logits.length];
        for (int i = from; i < history.size(); i++) {
            int id = history.get(i);
            if (id >= 0 && id < logits.length && !seen[id]) {
                seen[id] = true;
                logits[id] = logits[id] > 0 ? logits[id] / p.repeatPenalty() : logits[id] * p.repeatPenalty();
            }
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
        // pack (order-preserving logit bits, index) into longs and sort: no boxing, O(n log n) worst case
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int sortable = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
            keys[i] = ((long) ~sortable << 32) | (0xFFFFFFFFL & i); // ~ for descending, ties by lower id
        }
        Arrays.sort(keys);
        for (int i = 0; i < k; i++) {
            candidates[i] = (int) keys[i];
        }
        return k;
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
