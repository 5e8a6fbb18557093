package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets the context length the model declares ({@code <arch>.context_length}, llama.cpp's {@code n_ctx_train} and
 * llmlab's default session length cap). Beyond the trained length, pair it with {@link SetRopeScaling}.
 */
public record SetContextLength(int contextLength) implements ModelModifier {

    public SetContextLength {
        if (contextLength < 1) {
            throw new InvalidRequestException("context length must be at least 1, got " + contextLength);
        }
    }

    @Override
    public void check(GgufModel model) {
        String key = ModelFacts.architecture(model) + ".context_length";
        if (!model.metadata().containsKey(key)) {
            throw new InvalidRequestException(model.source() + ": metadata '" + key + "' is missing; not a model"
                    + " whose context length llmlab knows how to set");
        }
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put(ModelFacts.architecture(model) + ".context_length", GgufValue.ofUint32(contextLength));
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, model.tensors());
    }

    @Override
    public String describe() {
        return "context length " + contextLength;
    }
}
