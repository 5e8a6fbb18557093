package dev.llmlab.modify;

import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.model.GenerationDefaults;
import dev.llmlab.sampling.SamplingParams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stores generation defaults in the model ({@code llmlab.generation.*} metadata); values given here replace the
 * model's, the others are kept. The values are validated as {@link SamplingParams} validates them.
 */
public record SetGenerationDefaults(GenerationDefaults defaults) implements ModelModifier {

    public SetGenerationDefaults {
        Objects.requireNonNull(defaults, "defaults");
        SamplingParams base = SamplingParams.defaults();
        new SamplingParams(defaults.temperature() != null ? defaults.temperature() : base.temperature(),
                defaults.topK() != null ? defaults.topK() : base.topK(),
                defaults.topP() != null ? defaults.topP() : base.topP(), base.minP(), base.repeatPenalty(),
                base.repeatLastN(), base.seed(), base.presencePenalty(), base.frequencyPenalty());
        if (defaults.maxTokens() != null && defaults.maxTokens() < 0) {
            throw new dev.llmlab.error.InvalidRequestException("max tokens must be 0 or more, got "
                    + defaults.maxTokens());
        }
        if (defaults.stops().stream().anyMatch(String::isEmpty)) {
            throw new dev.llmlab.error.InvalidRequestException("stop strings must not be empty");
        }
    }

    @Override
    public void check(GgufModel model) {
        // any model can carry defaults
    }

    @Override
    public GgufModel apply(GgufModel model) {
        Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
        metadata.putAll(defaults.entries());
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, model.tensors());
    }

    @Override
    public String describe() {
        List<String> parts = defaults.entries().entrySet().stream()
                .map(e -> e.getKey().substring(GenerationDefaults.PREFIX.length()) + "=" + e.getValue()).toList();
        return "generation defaults " + String.join(" ", parts);
    }
}
