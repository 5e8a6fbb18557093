package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the user asked for when running an experiment. Experiments interpret these as their defaults or
 * starting points (a sampling sweep, say, varies the temperature around {@code sampling}).
 *
 * @param prompt      the user's prompt, or null to use the experiment's own default prompt
 * @param sampling    sampling parameters
 * @param maxTokens   the most tokens to generate per generation
 * @param stopStrings generation stops before any of these
 * @param options     experiment-specific settings ({@link Experiment#options()}), as the user typed them
 */
public record ExperimentParams(String prompt, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                               Map<String, String> options) {

    public ExperimentParams {
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 0) {
            throw new InvalidRequestException("max tokens must be 0 or more, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public ExperimentParams(String prompt, SamplingParams sampling, int maxTokens, List<String> stopStrings) {
        this(prompt, sampling, maxTokens, stopStrings, Map.of());
    }

    public ExperimentParams(String prompt, SamplingParams sampling, int maxTokens) {
        this(prompt, sampling, maxTokens, List.of());
    }

    public ExperimentParams withOptions(Map<String, String> newOptions) {
        return new ExperimentParams(prompt, sampling, maxTokens, stopStrings, newOptions);
    }

    /** The user's prompt if one was given, else {@code experimentDefault}. */
    public String promptOr(String experimentDefault) {
        return prompt != null ? prompt : experimentDefault;
    }

    /** The option's value, else {@code fallback}. */
    public String option(String key, String fallback) {
        String v = options.get(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    public int intOption(String key, int fallback) {
        String v = options.get(key);
        return v == null || v.isBlank() ? fallback : parse(key, v.strip(), Integer::parseInt, "an integer");
    }

    /** A comma-separated list of integers, e.g. {@code prompt-lengths=16,64,256}. */
    public List<Integer> intList(String key, String fallback) {
        return list(key, fallback, Integer::parseInt, "integers");
    }

    public List<Long> longList(String key, String fallback) {
        return list(key, fallback, Long::parseLong, "integers");
    }

    public List<Float> floatList(String key, String fallback) {
        return list(key, fallback, Float::parseFloat, "numbers");
    }

    private <T> List<T> list(String key, String fallback, Function<String, T> parser, String what) {
        String raw = option(key, fallback);
        List<T> values = new ArrayList<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                values.add(parse(key, part.strip(), parser, what));
            }
        }
        if (values.isEmpty()) {
            throw new InvalidRequestException("option '" + key + "' is empty: give comma-separated " + what
                    + ", e.g. --set " + key + "=" + fallback);
        }
        return List.copyOf(values);
    }

    private static <T> T parse(String key, String value, Function<String, T> parser, String what) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("option '" + key + "': '" + value + "' is not " + what
                    + "; give e.g. --set " + key + "=1,2");
        }
    }
}
