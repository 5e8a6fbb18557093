package dev.llmlab.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.Timings;

import java.time.Duration;

/** JSON encoding shared by the routes: one thread-safe mapper, and the usage and timing objects. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree: " + e.getMessage(), e);
        }
    }

    /** OpenAI's usage object. */
    static ObjectNode usage(Timings t) {
        ObjectNode u = object();
        u.put("prompt_tokens", t.promptTokens());
        u.put("completion_tokens", t.generatedTokens());
        u.put("total_tokens", t.promptTokens() + t.generatedTokens());
        return u;
    }

    /** llmlab's timing record, the same one every backend reports (field {@code llmlab_timings}). */
    static ObjectNode timings(Timings t) {
        ObjectNode o = object();
        o.put("prompt_tokens", t.promptTokens());
        o.put("prompt_ms", millis(t.promptTime()));
        o.put("generated_tokens", t.generatedTokens());
        o.put("generation_ms", millis(t.generationTime()));
        o.put("ttft_ms", millis(t.timeToFirstToken()));
        o.put("total_ms", millis(t.total()));
        o.put("prompt_tokens_per_second", t.promptTokensPerSecond());
        o.put("tokens_per_second", t.tokensPerSecond());
        return o;
    }

    /** OpenAI's finish_reason: "stop" for an end token or a stop string, "length" for a token or context limit. */
    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case EOS, STOP_STRING -> "stop";
            case MAX_TOKENS, CONTEXT_FULL -> "length";
            case CANCELLED -> "cancelled";
        };
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
