package dev.llmlab.generate;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.sampling.SamplingParams;

import java.util.List;

/**
 * What to generate.
 *
 * @param prompt      the prompt text
 * @param sampling    sampling parameters (temperature, top-k, ... , seed)
 * @param maxTokens   the most tokens to generate
 * @param stopStrings generation stops before any of these strings
 * @param addBos      whether to add the beginning-of-sequence token; null means "as the model's metadata says"
 */
public record GenerationRequest(String prompt, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                                Boolean addBos) {

    public GenerationRequest {
        if (prompt == null) {
            throw new InvalidRequestException("prompt must not be null");
        }
        if (maxTokens < 0) {
            throw new InvalidRequestException("max tokens must be 0 or more, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new InvalidRequestException("stop strings must not be empty");
            }
        }
    }

    public static GenerationRequest of(String prompt, SamplingParams sampling, int maxTokens) {
        return new GenerationRequest(prompt, sampling, maxTokens, List.of(), null);
    }

    public GenerationRequest withStopStrings(List<String> stops) {
        return new GenerationRequest(prompt, sampling, maxTokens, stops, addBos);
    }
}
