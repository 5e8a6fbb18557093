package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.sampling.SamplingParams;

import java.util.List;
import java.util.Objects;

/**
 * What the user asked for when running an experiment. Experiments interpret these as their defaults or
 * starting points (a sampling sweep, say, varies the temperature around {@code sampling}).
 *
 * @param prompt      the user's prompt, or null to use the experiment's own default prompt
 * @param sampling    sampling parameters
 * @param maxTokens   the most tokens to generate per generation
 * @param stopStrings generation stops before any of these
 */
public record ExperimentParams(String prompt, SamplingParams sampling, int maxTokens, List<String> stopStrings) {

    public ExperimentParams {
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 0) {
            throw new InvalidRequestException("max tokens must be 0 or more, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    public ExperimentParams(String prompt, SamplingParams sampling, int maxTokens) {
        this(prompt, sampling, maxTokens, List.of());
    }

    /** The user's prompt if one was given, else {@code experimentDefault}. */
    public String promptOr(String experimentDefault) {
        return prompt != null ? prompt : experimentDefault;
    }
}
