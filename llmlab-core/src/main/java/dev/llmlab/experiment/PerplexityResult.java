package dev.llmlab.experiment;

import java.util.List;

/**
 * The outcome of a perplexity evaluation.
 *
 * @param method             {@code llama.cpp-chunks} or {@code sliding-window}
 * @param contextLength      tokens per chunk (window)
 * @param stride             the sliding window's stride; 0 for llama.cpp's chunks
 * @param textTokens         tokens of the whole text (with BOS when the model adds one)
 * @param chunks             chunks (windows) evaluated
 * @param scoredTokens       tokens whose probability counted
 * @param perplexity         exp(mean negative log-likelihood)
 * @param uncertainty        llama.cpp's "+/-": the standard error of the mean NLL, times the perplexity
 * @param meanNll            mean negative log-likelihood (nats per token)
 * @param runningPerplexity  the perplexity after each chunk, as llama.cpp prints {@code [1]x,[2]y,...}
 * @param seconds            wall time of the evaluation
 */
public record PerplexityResult(String method, int contextLength, int stride, int textTokens, int chunks,
                               long scoredTokens, double perplexity, double uncertainty, double meanNll,
                               List<Double> runningPerplexity, double seconds) {

    public PerplexityResult {
        runningPerplexity = List.copyOf(runningPerplexity);
    }

    /** Tokens evaluated (scored or context) per second. */
    public double tokensPerSecond() {
        return seconds <= 0 ? 0 : (double) chunks * contextLength / seconds;
    }
}
