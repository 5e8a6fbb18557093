package dev.llmlab.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** The handlers of the OpenAI routes: parse and validate, queue the generation, send the response. */
final class OpenAiRoutes {
    /** OpenAI's default for /v1/completions when max_tokens is not given. */
    static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    private static final Set<String> COMPLETION_FIELDS = union(CommonParams.FIELDS,
            Set.of("prompt", "max_tokens", "echo", "best_of", "suffix"));
    private static final Set<String> CHAT_FIELDS = union(CommonParams.FIELDS,
            Set.of("messages", "max_tokens", "max_completion_tokens", "response_format"));

    private final ServedModel model;
    private final GenerationScheduler scheduler;
    private final RequestBodies bodies;
    private final GenerationResponder responder;
    private final ServerMetrics metrics;

    OpenAiRoutes(ServedModel model, GenerationScheduler scheduler, RequestBodies bodies, ServerMetrics metrics) {
        this.model = model;
        this.scheduler = scheduler;
        this.bodies = bodies;
        this.metrics = metrics;
        this.responder = new GenerationResponder(metrics);
    }

    void models(ServerRequest req, ServerResponse res) {
        ObjectNode list = Json.object();
        list.put("object", "list");
        ObjectNode m = list.putArray("data").addObject();
        m.put("id", model.id());
        m.put("object", "model");
        m.put("created", model.createdEpochSeconds());
        m.put("owned_by", "llmlab");
        m.put("context_length", model.contextLength());
        sendJson(res, list);
    }

    void completions(ServerRequest req, ServerResponse res) throws InterruptedException {
        long arrival = System.nanoTime();
        RequestFields f = RequestFields.of(bodies.readObject(req), COMPLETION_FIELDS);
        CommonParams p = CommonParams.parse(f, model, List.of("max_tokens"), COMPLETIONS_DEFAULT_MAX_TOKENS);
        String prompt = prompt(f);
        f.onlyDefault("echo", n -> n.isBoolean() && !n.booleanValue(), "echo is not supported");
        f.onlyDefault("best_of", n -> n.isIntegralNumber() && n.asLong() == 1, "llmlab generates one candidate "
                + "(best_of = 1)");
        f.onlyDefault("suffix", n -> n.isTextual() && n.textValue().isEmpty(), "insertion (suffix) is not "
                + "supported");
        f.onlyDefault("logprobs", n -> false, "logprobs are not reported by llmlab yet");
        GenerationRequest request = new GenerationRequest(prompt, p.sampling(), p.maxTokens(), p.stops(), null);
        run(generator -> generator.stream(request), new ResponseShape.TextCompletion(), "cmpl-", p, arrival, res);
    }

    void chatCompletions(ServerRequest req, ServerResponse res) throws InterruptedException {
        long arrival = System.nanoTime();
        RequestFields f = RequestFields.of(bodies.readObject(req), CHAT_FIELDS);
        CommonParams p = CommonParams.parse(f, model, List.of("max_completion_tokens", "max_tokens"),
                model.contextLength());
        var messages = ChatMessages.parse(f.node("messages"));
        f.onlyDefault("logprobs", n -> n.isBoolean() && !n.booleanValue(), "logprobs are not reported by llmlab yet");
        f.onlyDefault("response_format", n -> n.isObject() && n.size() == 1 && "text".equals(n.path("type").asText()),
                "only {\"type\":\"text\"} is supported (no JSON mode or schemas)");
        ChatRequest request = new ChatRequest(messages, p.sampling(), p.maxTokens(), p.stops());
        run(generator -> generator.chat(request), new ResponseShape.ChatCompletion(), "chatcmpl-", p, arrival, res);
    }

    private void run(Function<Generator, GenerationStream> start, ResponseShape shape, String idPrefix,
                     CommonParams p, long arrival, ServerResponse res) throws InterruptedException {
        GenerationScheduler.Job job = scheduler.submit(start);
        ResponseShape.ResponseIds ids = new ResponseShape.ResponseIds(
                idPrefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()),
                System.currentTimeMillis() / 1000, model.id());
        try {
            responder.respond(job, shape, ids, p.stream(), arrival, res);
        } finally {
            job.cancel(); // a no-op after the end; stops the work if this thread is interrupted
        }
    }

    /** A string, or an array holding one string; token-id prompts and batches are refused. */
    private static String prompt(RequestFields f) {
        var node = f.node("prompt");
        if (node == null || node.isNull()) {
            throw ApiError.invalid("prompt", "missing_required_parameter", "missing required parameter 'prompt'");
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
            return node.get(0).textValue();
        }
        if (node.isArray()) {
            throw ApiError.invalid("prompt", "unsupported_value", "'prompt' must be one string: batches of prompts "
                    + "and token-id prompts are not supported; send one request per prompt");
        }
        throw RequestFields.wrongType("prompt", "a string", node);
    }

    void health(ServerRequest req, ServerResponse res) {
        ObjectNode o = Json.object();
        o.put("status", "ok");
        o.put("model", model.id());
        o.put("running", scheduler.running());
        o.put("queued", scheduler.queued());
        sendJson(res, o);
    }

    void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.render());
    }

    void notFound(ServerRequest req, ServerResponse res) {
        ErrorResponses.send(res, new ApiError(404, ApiError.INVALID_REQUEST, null, "unknown_url", "unknown route "
                + req.prologue().method().text() + " " + req.path().path() + "; the routes are "
                + String.join(", ", OpenAiServer.ROUTES)));
    }

    private static void sendJson(ServerResponse res, ObjectNode body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
