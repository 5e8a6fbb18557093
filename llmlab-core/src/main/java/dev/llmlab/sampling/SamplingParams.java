package dev.llmlab.sampling;

import dev.llmlab.error.InvalidRequestException;

/**
 * How the next token is chosen. Temperature 0 means greedy. Disabled filters: topK 0, topP 1, minP 0,
 * repeatPenalty 1.
 *
 * @param temperature   softmax temperature; 0 = greedy (argmax)
 * @param topK          keep the k most likely tokens; 0 = all
 * @param topP          keep the smallest set whose probability reaches p; 1 = all
 * @param minP          drop tokens whose probability is below minP x the top probability; 0 = none
 * @param repeatPenalty divide positive logits (multiply negative ones) of recently seen tokens; 1 = off
 * @param repeatLastN   how many recent tokens the repeat penalty looks at
 * @param seed          random seed; the same seed gives the same tokens
 * @param presencePenalty  subtracted from the logit of every token seen in the last repeatLastN tokens
 *                         (OpenAI's presence_penalty); 0 = off
 * @param frequencyPenalty subtracted once per occurrence in the last repeatLastN tokens (OpenAI's
 *                         frequency_penalty); 0 = off
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty,
                             int repeatLastN, long seed, float presencePenalty, float frequencyPenalty) {

    public static final long DEFAULT_SEED = 42;

    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new InvalidRequestException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new InvalidRequestException("top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidRequestException("top-p must be in (0, 1] (1 disables it), got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new InvalidRequestException("min-p must be in [0, 1] (0 disables it), got " + minP);
        }
        if (!(repeatPenalty > 0) || Float.isInfinite(repeatPenalty)) {
            throw new InvalidRequestException("repeat penalty must be > 0 (1 disables it), got " + repeatPenalty);
        }
        if (repeatLastN < 0) {
            throw new InvalidRequestException("repeat-last-n must be >= 0, got " + repeatLastN);
        }
        if (!Float.isFinite(presencePenalty) || !Float.isFinite(frequencyPenalty)) {
            throw new InvalidRequestException("presence and frequency penalties must be finite (0 disables them), "
                    + "got " + presencePenalty + " and " + frequencyPenalty);
        }
    }

    /** Without presence and frequency penalties. */
    public SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN,
                          long seed) {
        this(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, 0f, 0f);
    }

    /** llama.cpp-like defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no repeat penalty. */
    public static SamplingParams defaults() {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, DEFAULT_SEED);
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 1.0f, 64, DEFAULT_SEED);
    }

    public boolean isGreedy() {
        return temperature == 0f || topK == 1;
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, repeatPenalty, repeatLastN, seed, presencePenalty,
                frequencyPenalty);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repeatPenalty, repeatLastN, seed, presencePenalty,
                frequencyPenalty);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, repeatPenalty, repeatLastN, seed, presencePenalty,
                frequencyPenalty);
    }

    public SamplingParams withMinP(float p) {
        return new SamplingParams(temperature, topK, topP, p, repeatPenalty, repeatLastN, seed, presencePenalty,
                frequencyPenalty);
    }

    public SamplingParams withRepeatPenalty(float penalty, int lastN) {
        return new SamplingParams(temperature, topK, topP, minP, penalty, lastN, seed, presencePenalty,
                frequencyPenalty);
    }

    /** OpenAI's presence and frequency penalties, over the same window as the repeat penalty. */
    public SamplingParams withPenalties(float presence, float frequency) {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, presence, frequency);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN, s, presencePenalty,
                frequencyPenalty);
    }
}
