package dev.llmlab.sampling;

/** Chooses the next token from logits. One per generation (it may hold a random state); not thread-safe. */
@FunctionalInterface
public interface Sampler {

    /**
     * @param logits  next-token logits; a sampler may modify them
     * @param history tokens so far (prompt and generated), for penalties
     */
    int sample(float[] logits, TokenHistory history);

    static Sampler of(SamplingParams params) {
        return new ChainSampler(params);
    }
}
