package dev.llmlab.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.generate.GenerationResult;

/** How one route's responses look: text completions or chat completions, whole or as stream chunks. */
sealed interface ResponseShape {

    /** The chunk that opens a stream, or null when the route sends none. */
    ObjectNode opening(ResponseIds ids);

    /** A chunk carrying {@code text}; with a result, the last chunk (finish reason, usage, timings). */
    ObjectNode chunk(ResponseIds ids, String text, GenerationResult finished);

    /** The whole, non-streamed response. */
    ObjectNode whole(ResponseIds ids, GenerationResult result);

    /** The identity every chunk of one response repeats. */
    record ResponseIds(String id, long created, String model) {
        ObjectNode start(String object) {
            ObjectNode o = Json.object();
            o.put("id", id);
            o.put("object", object);
            o.put("created", created);
            o.put("model", model);
            return o;
        }
    }

    /** /v1/completions. */
    record TextCompletion() implements ResponseShape {
        @Override
        public ObjectNode opening(ResponseIds ids) {
            return null;
        }

        @Override
        public ObjectNode chunk(ResponseIds ids, String text, GenerationResult finished) {
            ObjectNode o = ids.start("text_completion");
            choice(o.putArray("choices"), text, finished);
            return finished == null ? o : withUsage(o, finished);
        }

        @Override
        public ObjectNode whole(ResponseIds ids, GenerationResult result) {
            ObjectNode o = ids.start("text_completion");
            choice(o.putArray("choices"), result.text(), result);
            return withUsage(o, result);
        }

        private static void choice(ArrayNode choices, String text, GenerationResult finished) {
            ObjectNode c = choices.addObject();
            c.put("text", text);
            c.put("index", 0);
            c.putNull("logprobs");
            c.put("finish_reason", finished == null ? null : Json.finishReason(finished.finishReason()));
        }
    }

    /** /v1/chat/completions. */
    record ChatCompletion() implements ResponseShape {
        @Override
        public ObjectNode opening(ResponseIds ids) {
            ObjectNode o = ids.start("chat.completion.chunk");
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("delta").put("role", "assistant").put("content", "");
            c.putNull("logprobs");
            c.putNull("finish_reason");
            return o;
        }

        @Override
        public ObjectNode chunk(ResponseIds ids, String text, GenerationResult finished) {
            ObjectNode o = ids.start("chat.completion.chunk");
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", 0);
            ObjectNode delta = c.putObject("delta");
            if (!text.isEmpty() || finished == null) {
                delta.put("content", text);
            }
            c.putNull("logprobs");
            c.put("finish_reason", finished == null ? null : Json.finishReason(finished.finishReason()));
            return finished == null ? o : withUsage(o, finished);
        }

        @Override
        public ObjectNode whole(ResponseIds ids, GenerationResult result) {
            ObjectNode o = ids.start("chat.completion");
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("message").put("role", "assistant").put("content", result.text()).putNull("refusal");
            c.putNull("logprobs");
            c.put("finish_reason", Json.finishReason(result.finishReason()));
            return withUsage(o, result);
        }
    }

    private static ObjectNode withUsage(ObjectNode o, GenerationResult result) {
        o.set("usage", Json.usage(result.timings()));
        o.set("llmlab_timings", Json.timings(result.timings()));
        return o;
    }
}
