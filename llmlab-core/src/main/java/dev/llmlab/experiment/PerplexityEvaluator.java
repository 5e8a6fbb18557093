package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Perplexity of a model on a token sequence, two ways.
 *
 * <p><b>llama.cpp's chunks</b> (stride 0, the default; {@code tools/perplexity/perplexity.cpp}, function
 * {@code perplexity}): the text's tokens (BOS first when the model adds one) are cut into
 * {@code tokens / n_ctx} consecutive chunks of {@code n_ctx} tokens, the remainder dropped; at least
 * {@code 2 n_ctx} tokens are required. Each chunk is evaluated from an empty cache with its first token replaced
 * by BOS (when the model adds BOS); only the second half is scored: the logits at positions
 * {@code n_ctx/2 .. n_ctx-2} predict tokens {@code n_ctx/2+1 .. n_ctx-1}, so each chunk scores
 * {@code n_ctx - n_ctx/2 - 1} tokens. NLL is accumulated in double as {@code max + log(sum exp(l - max)) - l[t]}
 * (exp in float, the sum in double) and the perplexity is {@code exp(sum / count)}.
 *
 * <p><b>Sliding window</b> (stride &gt; 0; Hugging Face's "perplexity of fixed-length models"): windows of up to
 * {@code n_ctx} tokens start every {@code stride} tokens; each window scores only the tokens not scored by the
 * previous window (all of the first window except its first token), with the window's earlier tokens as
 * context. No BOS replacement. Every token is scored at most once; as in Hugging Face's recipe, the first token of
 * a window that overlaps no earlier window (the text's first token; every window's when stride = n_ctx) has
 * no prediction and is not scored.
 */
public final class PerplexityEvaluator {
    public static final String LLAMA_CPP = "llama.cpp-chunks";
    public static final String SLIDING_WINDOW = "sliding-window";

    /** Told before the first chunk (0 done, NaN) and after each: chunks done, chunks in all, the running perplexity. */
    @FunctionalInterface
    public interface Progress {
        void chunkDone(int done, int total, double runningPerplexity);
    }

    private final LogitsScorer scorer;
    private final LongSupplier nanoTime;

    public PerplexityEvaluator(LogitsScorer scorer, LongSupplier nanoTime) {
        this.scorer = scorer;
        this.nanoTime = nanoTime;
    }

    /**
     * llama.cpp's method.
     *
     * @param tokens    the whole text, tokenized as llama.cpp does (BOS first when the model adds one)
     * @param bos       the BOS id to put first in every chunk, or -1 when the model adds no BOS
     * @param maxChunks at most this many chunks (llama.cpp's {@code --chunks}); 0 or less = all
     */
    public PerplexityResult chunked(int[] tokens, int contextLength, int bos, int maxChunks, Progress progress) {
        if (contextLength < 4) {
            throw new InvalidRequestException("perplexity needs a context of at least 4 tokens, got " + contextLength);
        }
        if (tokens.length < 2 * contextLength) {
            throw new InvalidRequestException("the text tokenizes to only " + tokens.length + " tokens; llama.cpp's "
                    + "method needs at least 2 x context = " + (2 * contextLength) + ": use a longer text or a smaller "
                    + "--context");
        }
        int available = tokens.length / contextLength;
        int chunks = maxChunks > 0 ? Math.min(maxChunks, available) : available;
        int first = contextLength / 2;
        Accumulator acc = new Accumulator();
        long start = nanoTime.getAsLong();
        progress.chunkDone(0, chunks, Double.NaN);
        for (int i = 0; i < chunks; i++) {
            int offset = i * contextLength;
            // the last token's logits predict nothing inside the chunk: evaluating n_ctx - 1 tokens gives the same
            // logits for every scored position (attention is causal)
            int[] chunk = Arrays.copyOfRange(tokens, offset, offset + contextLength - 1);
            if (bos >= 0) {
                chunk[0] = bos;
            }
            scorer.score(chunk, first, (index, logits) -> acc.add(logits, tokens[offset + index + 1]));
            acc.endChunk();
            progress.chunkDone(i + 1, chunks, acc.perplexity());
        }
        return acc.result(LLAMA_CPP, contextLength, 0, tokens.length, chunks, nanoTime.getAsLong() - start);
    }

    /** Hugging Face's sliding window: windows of {@code contextLength} every {@code stride} tokens. */
    public PerplexityResult slidingWindow(int[] tokens, int contextLength, int stride, Progress progress) {
        if (stride < 1 || stride > contextLength) {
            throw new InvalidRequestException("the stride must be between 1 and the context (" + contextLength
                    + "), got " + stride);
        }
        if (tokens.length < 2) {
            throw new InvalidRequestException("the text tokenizes to " + tokens.length + " token(s); perplexity "
                    + "needs at least 2");
        }
        int windows = 1 + Math.max(0, (tokens.length - contextLength + stride - 1) / stride);
        Accumulator acc = new Accumulator();
        long start = nanoTime.getAsLong();
        int previousEnd = 0;
        int done = 0;
        progress.chunkDone(0, windows, Double.NaN);
        for (int begin = 0; previousEnd < tokens.length; begin += stride) {
            int end = Math.min(begin + contextLength, tokens.length);
            int newTokens = end - previousEnd;
            int firstTarget = Math.max(1, (end - begin) - newTokens); // index in the window of the first scored token
            if (end - begin >= 2) { // a one-token window predicts nothing
                int[] window = Arrays.copyOfRange(tokens, begin, end - 1);
                int windowStart = begin;
                scorer.score(window, firstTarget - 1,
                        (index, logits) -> acc.add(logits, tokens[windowStart + index + 1]));
            }
            acc.endChunk();
            previousEnd = end;
            progress.chunkDone(++done, windows, acc.perplexity());
        }
        return acc.result(SLIDING_WINDOW, contextLength, stride, tokens.length, done, nanoTime.getAsLong() - start);
    }

    /**
     * {@code -log softmax(logits)[target]} as llama.cpp computes it: max in float, {@code exp} of the float
     * difference, the sum in double.
     */
    public static double negativeLogLikelihood(float[] logits, int target) {
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (float l : logits) {
            sum += (float) Math.exp(l - max);
        }
        return -((double) (logits[target] - max) - Math.log(sum));
    }

    /** Sums of NLL and NLL squared, as llama.cpp keeps them. */
    private static final class Accumulator {
        private double nll;
        private double nll2;
        private long count;
        private final List<Double> running = new ArrayList<>();

        void add(float[] logits, int target) {
            double v = negativeLogLikelihood(logits, target);
            nll += v;
            nll2 += v * v;
            count++;
        }

        void endChunk() {
            running.add(perplexity());
        }

        double perplexity() {
            return count == 0 ? Double.NaN : Math.exp(nll / count);
        }

        PerplexityResult result(String method, int context, int stride, int textTokens, int chunks, long nanos) {
            double mean = nll / count;
            double variance = nll2 / count - mean * mean;
            double ppl = Math.exp(mean);
            double uncertainty = variance > 0 && count > 1 ? Math.sqrt(variance / (count - 1)) * ppl : 0;
            return new PerplexityResult(method, context, stride, textTokens, chunks, count, ppl, uncertainty, mean,
                    running, nanos / 1e9);
        }
    }
}
