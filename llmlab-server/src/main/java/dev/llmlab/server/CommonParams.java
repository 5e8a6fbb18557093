package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.sampling.SamplingParams;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parameters /v1/completions and /v1/chat/completions share, validated and mapped onto llmlab's records.
 * OpenAI's defaults apply (temperature 1, top_p 1, no top-k; a random seed unless one is given); llama.cpp's
 * server extensions {@code top_k}, {@code min_p}, {@code repeat_penalty} and {@code repeat_last_n} are accepted.
 *
 * @param stream    answer with server-sent events
 * @param sampling  how to choose tokens
 * @param maxTokens the most tokens to generate
 * @param stops     generation stops before any of these
 */
record CommonParams(boolean stream, SamplingParams sampling, int maxTokens, List<String> stops) {
    /** OpenAI's stop takes up to 4 sequences. */
    static final int MAX_STOPS = 4;

    /** Fields every generation route accepts. */
    static final Set<String> FIELDS = Set.of("model", "stream", "stream_options", "temperature", "top_p", "seed",
            "stop", "presence_penalty", "frequency_penalty", "n", "logit_bias", "logprobs", "user",
            "top_k", "min_p", "repeat_penalty", "repeat_last_n");

    /**
     * @param maxTokensField    which field bounds the output ({@code max_tokens}, or for chat
     *                          {@code max_completion_tokens} then {@code max_tokens})
     * @param defaultMaxTokens  used when the request sets no bound
     */
    static CommonParams parse(RequestFields f, ServedModel model, List<String> maxTokensField, int defaultMaxTokens) {
        String id = f.requiredString("model");
        if (!id.equals(model.id())) {
            throw new ApiError(404, ApiError.INVALID_REQUEST, "model", "model_not_found", "the model '" + id
                    + "' does not exist here: this server serves '" + model.id() + "' (see GET /v1/models)");
        }
        boolean stream = f.bool("stream").orElse(false);
        if (f.has("stream_options")) {
            streamOptions(f.node("stream_options"), stream);
        }
        f.onlyDefault("n", n -> n.isIntegralNumber() && n.asLong() == 1,
                "llmlab generates one choice per request (n = 1); send several requests instead");
        f.onlyDefault("logit_bias", n -> n.isObject() && n.isEmpty(),
                "logit_bias is not supported");
        f.string("user"); // an end-user id for abuse monitoring: checked for type, nothing to do with it
        int maxTokens = defaultMaxTokens;
        for (String field : maxTokensField) {
            if (f.has(field)) {
                long asked = f.integer(field, 1, Integer.MAX_VALUE).orElseThrow();
                if (asked > model.contextLength()) {
                    throw ApiError.invalid(field, "context_length_exceeded", "'" + field + "' is " + asked
                            + " but the model's context holds " + model.contextLength()
                            + " tokens, prompt included: ask for at most " + model.contextLength());
                }
                maxTokens = (int) asked;
                break;
            }
        }
        SamplingParams sampling = new SamplingParams(
                (float) f.number("temperature", 0, 2).orElse(1.0).doubleValue(),
                (int) f.integer("top_k", 0, Integer.MAX_VALUE).orElse(0L).longValue(),
                topP(f),
                (float) f.number("min_p", 0, 1).orElse(0.0).doubleValue(),
                (float) f.number("repeat_penalty", 0.01, 10).orElse(1.0).doubleValue(),
                (int) f.integer("repeat_last_n", 0, model.contextLength()).orElse(64L).longValue(),
                f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElseGet(() -> ThreadLocalRandom.current().nextLong()),
                (float) f.number("presence_penalty", -2, 2).orElse(0.0).doubleValue(),
                (float) f.number("frequency_penalty", -2, 2).orElse(0.0).doubleValue());
        return new CommonParams(stream, sampling, maxTokens, f.stringOrList("stop", MAX_STOPS));
    }

    private static float topP(RequestFields f) {
        double p = f.number("top_p", 0, 1).orElse(1.0);
        if (p == 0) {
            throw ApiError.invalid("top_p", "invalid_value", "'top_p' must be greater than 0 (1 keeps every token)");
        }
        return (float) p;
    }

    private static void streamOptions(JsonNode options, boolean stream) {
        if (!stream) {
            throw ApiError.invalid("stream_options", "invalid_value", "'stream_options' is only allowed with "
                    + "\"stream\": true");
        }
        if (!options.isObject()) {
            throw RequestFields.wrongType("stream_options", "an object", options);
        }
        options.fieldNames().forEachRemaining(name -> {
            if (!name.equals("include_usage")) {
                throw ApiError.invalid("stream_options." + name, "unsupported_parameter", "unsupported stream "
                        + "option '" + name + "'; llmlab knows include_usage (the last chunk always carries usage)");
            }
        });
        JsonNode include = options.get("include_usage");
        if (include != null && !include.isNull() && !include.isBoolean()) {
            throw RequestFields.wrongType("stream_options.include_usage", "a boolean", include);
        }
    }
}
