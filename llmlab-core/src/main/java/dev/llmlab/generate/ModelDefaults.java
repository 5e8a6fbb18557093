package dev.llmlab.generate;

import dev.llmlab.model.GenerationDefaults;
import dev.llmlab.sampling.SamplingParams;

import java.util.function.Predicate;

/** Fills a request's settings the user did not give from the defaults a model carries. */
public final class ModelDefaults {
    private ModelDefaults() {
    }

    /**
     * {@code request} with each value the user did not give ({@code given} is false for its name:
     * {@code temperature}, {@code top_p}, {@code top_k}, {@code max_tokens}, {@code stop}) taken from
     * {@code defaults} when the model has one.
     */
    public static GenerationRequest apply(GenerationRequest request, GenerationDefaults defaults,
                                          Predicate<String> given) {
        if (defaults.isEmpty()) {
            return request;
        }
        SamplingParams s = request.sampling();
        float temperature = defaults.temperature() != null && !given.test("temperature") ? defaults.temperature()
                : s.temperature();
        float topP = defaults.topP() != null && !given.test("top_p") ? defaults.topP() : s.topP();
        int topK = defaults.topK() != null && !given.test("top_k") ? defaults.topK() : s.topK();
        int maxTokens = defaults.maxTokens() != null && !given.test("max_tokens") ? defaults.maxTokens()
                : request.maxTokens();
        var stops = !defaults.stops().isEmpty() && !given.test("stop") ? defaults.stops() : request.stopStrings();
        SamplingParams sampling = new SamplingParams(temperature, topK, topP, s.minP(), s.repeatPenalty(),
                s.repeatLastN(), s.seed(), s.presencePenalty(), s.frequencyPenalty());
        return new GenerationRequest(request.prompt(), sampling, maxTokens, stops, request.addBos());
    }
}
