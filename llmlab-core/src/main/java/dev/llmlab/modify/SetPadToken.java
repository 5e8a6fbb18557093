package dev.llmlab.modify;

import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets {@code tokenizer.ggml.padding_token_id}: to an existing token (GPT-2 users pad with {@code <|endoftext|>},
 * as {@code tokenizer.pad_token = tokenizer.eos_token} does), or to a new special token added with
 * {@link AddTokens} (embeddings resized, mean-initialised) when the vocabulary lacks it.
 */
public record SetPadToken(String token) implements ModelModifier {
    static final String PADDING_ID = "tokenizer.ggml.padding_token_id";

    public SetPadToken {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public void check(GgufModel model) {
        AddTokens.checkVocabulary(model);
        if (!vocabulary(model).contains(token)) {
            new AddTokens(List.of(token), true).check(model);
        }
    }

    private static List<String> vocabulary(GgufModel model) {
        return ModelFacts.metadata(model).stringArray(AddTokens.TOKENS);
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        GgufModel withToken = vocabulary(model).contains(token) ? model : new AddTokens(List.of(token), true).apply(model);
        Map<String, GgufValue> metadata = new LinkedHashMap<>(withToken.metadata());
        metadata.put(PADDING_ID, GgufValue.ofUint32(vocabulary(withToken).indexOf(token)));
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, withToken.tensors());
    }

    @Override
    public String describe() {
        return "pad token '" + token + "'";
    }
}
