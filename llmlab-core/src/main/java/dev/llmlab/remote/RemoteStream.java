package dev.llmlab.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Ticker;
import dev.llmlab.generate.Timings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One remote generation, pulled event by event from the server's SSE stream. Timings are the client's view:
 * time to first token is from sending the request to the first chunk with text (network and the server's
 * queue included), and stands in for the prompt time too, since the client cannot see the prompt finish; token
 * counts come from the server's usage record when it sends one, else from the chunks. If the server cannot
 * stream (an error status, a reply that is not an event stream, or a stream that breaks before its first
 * token), the request is sent once more without streaming and the result says so in its notes.
 */
final class RemoteStream implements GenerationStream {
    enum Route {
        COMPLETIONS("completions"), CHAT("chat/completions");

        final String path;

        Route(String path) {
            this.path = path;
        }
    }

    private final HttpClient http;
    private final OpenAiEndpoint endpoint;
    private final Route route;
    private final ObjectNode body;
    private final Ticker ticker;
    private final ObjectMapper json;
    private final long startNanos;
    private final Deque<GenerationEvent> pending = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    private InputStream response;
    private SseReader sse;
    private JsonNode usage;
    private String finishReason;
    private int tokens;
    private long firstTokenNanos;
    private long lastTokenNanos;
    private boolean started;
    private boolean finished;
    private boolean closed;

    RemoteStream(HttpClient http, OpenAiEndpoint endpoint, Route route, ObjectNode body, Ticker ticker,
                 ObjectMapper json) {
        this.http = http;
        this.endpoint = endpoint;
        this.route = route;
        this.body = body;
        this.ticker = ticker;
        this.json = json;
        this.startNanos = ticker.nanoTime();
    }

    @Override
    public boolean hasNext() {
        return !pending.isEmpty() || (!finished && !closed);
    }

    @Override
    public GenerationEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        if (!started) {
            started = true;
            open();
            return pending.poll();
        }
        try {
            while (true) {
                String data = sse.next();
                if (data == null || data.equals("[DONE]")) {
                    if (data == null && finishReason == null) {
                        if (tokens == 0) {
                            return fallBack("ended its stream before the first token");
                        }
                        throw new LlmlabException(endpoint + ": the stream ended after " + tokens
                                + " tokens without a finish reason; the server may have stopped or crashed");
                    }
                    return finish();
                }
                GenerationEvent token = chunk(json.readTree(data));
                if (token != null) {
                    return token;
                }
            }
        } catch (IOException e) {
            if (tokens == 0 && !closed) {
                return fallBack("broke its stream before the first token (" + e.getMessage() + ")");
            }
            throw new LlmlabException(endpoint + ": the stream broke after " + tokens + " tokens: " + e.getMessage()
                    + "; check the server", e);
        }
    }

    /** Sends the streaming request; queues PromptProcessed (or, without a stream, every event). */
    private void open() {
        HttpResponse<InputStream> res;
        try {
            res = send(body);
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            fallBack("failed the streaming request (" + e.getMessage() + ")");
            return;
        }
        if (res.statusCode() != 200) {
            String message = errorMessage(res);
            int status = res.statusCode();
            if (status == 401 || status == 403 || status == 404 || status == 429
                    || (status == 400 && !message.toLowerCase().contains("stream"))) {
                throw failure(status, message);
            }
            fallBack("answered HTTP " + status + " to a streaming request (" + message + ")");
            return;
        }
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            notes.add("the server answered without streaming (Content-Type " + type + "): the whole text arrived "
                    + "at once, so time to first token is the request's time");
            whole(res);
            return;
        }
        response = res.body();
        sse = new SseReader(new BufferedReader(new InputStreamReader(response, StandardCharsets.UTF_8)));
        pending.add(new GenerationEvent.PromptProcessed(0, Duration.ofNanos(ticker.nanoTime() - startNanos)));
    }

    /** The retry without streaming; it is the last try. */
    private GenerationEvent fallBack(String why) {
        closeResponse();
        notes.add("the server " + why + "; retried once without streaming, so time to first token is the whole "
                + "request's time");
        ObjectNode plain = body.deepCopy();
        plain.put("stream", false);
        plain.remove("stream_options");
        HttpResponse<InputStream> res;
        try {
            res = send(plain);
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new LlmlabException(endpoint + ": the request failed with and without streaming: "
                    + e.getMessage() + "; check that the server is up", e);
        }
        if (res.statusCode() != 200) {
            throw failure(res.statusCode(), errorMessage(res));
        }
        whole(res);
        return pending.poll();
    }

    /** A non-streamed reply: all its events at once. */
    private void whole(HttpResponse<InputStream> res) {
        JsonNode reply;
        try (InputStream in = res.body()) {
            reply = json.readTree(in);
        } catch (IOException e) {
            throw new LlmlabException(endpoint + ": unreadable reply: " + e.getMessage(), e);
        }
        if (reply == null || !reply.path("choices").isArray() || reply.path("choices").isEmpty()) {
            throw new LlmlabException(endpoint + ": the reply has no choices; is this an OpenAI-compatible server?");
        }
        JsonNode choice = reply.path("choices").get(0);
        String content = route == Route.CHAT ? choice.path("message").path("content").asText("")
                : choice.path("text").asText("");
        usage = reply.get("usage");
        finishReason = choice.path("finish_reason").asText(null);
        long now = ticker.nanoTime();
        pending.add(new GenerationEvent.PromptProcessed(0, Duration.ofNanos(now - startNanos)));
        if (!content.isEmpty()) {
            pending.add(token(content, now));
        }
        pending.add(finish());
    }

    /** The token event a chunk carries, or null when it carries no text (a role, usage, an empty delta). */
    private GenerationEvent chunk(JsonNode chunk) {
        if (chunk.has("error")) {
            throw new LlmlabException(endpoint + ": the server reported an error mid-stream: "
                    + chunk.path("error").path("message").asText(chunk.toString()));
        }
        if (chunk.hasNonNull("usage")) {
            usage = chunk.get("usage");
        }
        JsonNode choices = chunk.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return null;
        }
        JsonNode choice = choices.get(0);
        if (choice.hasNonNull("finish_reason")) {
            finishReason = choice.get("finish_reason").asText();
        }
        String piece = route == Route.CHAT ? choice.path("delta").path("content").asText("")
                : choice.path("text").asText("");
        return piece.isEmpty() ? null : token(piece, ticker.nanoTime());
    }

    private GenerationEvent token(String piece, long now) {
        if (tokens == 0) {
            firstTokenNanos = now;
        }
        lastTokenNanos = now;
        text.append(piece);
        return new GenerationEvent.Token(tokens++, -1, piece, Duration.ofNanos(now - startNanos));
    }

    private GenerationEvent finish() {
        finished = true;
        closeResponse();
        long end = ticker.nanoTime();
        long first = tokens == 0 ? end : firstTokenNanos;
        int promptTokens = usage == null ? 0 : usage.path("prompt_tokens").asInt(0);
        int generated = usage != null && usage.has("completion_tokens") ? usage.get("completion_tokens").asInt()
                : tokens;
        Duration ttft = Duration.ofNanos(first - startNanos);
        Timings timings = new Timings(promptTokens, ttft, generated,
                Duration.ofNanos(Math.max(0, lastTokenNanos - first)), ttft, Duration.ofNanos(end - startNanos));
        FinishReason reason = switch (finishReason == null ? "" : finishReason) {
            case "length" -> generated >= body.path("max_tokens").asInt(Integer.MAX_VALUE)
                    ? FinishReason.MAX_TOKENS : FinishReason.CONTEXT_FULL;
            default -> FinishReason.EOS; // "stop": an end token or a stop string, OpenAI does not say which
        };
        GenerationResult result = new GenerationResult(text.toString(), List.of(), reason, timings,
                endpoint.toString(), notes);
        return new GenerationEvent.Finished(result, "");
    }

    private HttpResponse<InputStream> send(ObjectNode requestBody) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint.route(route.path))
                .timeout(OpenAiRemoteGenerator.RESPONSE_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(requestBody)));
        if (endpoint.apiKey() != null) {
            req.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmlabException(endpoint + ": interrupted while waiting for the server", e);
        }
    }

    /** The error body's message (OpenAI's {"error":{"message":...}}), or the start of the body. */
    private String errorMessage(HttpResponse<InputStream> res) {
        try (InputStream in = res.body()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            try {
                JsonNode error = json.readTree(bytes).path("error");
                if (error.hasNonNull("message")) {
                    return error.get("message").asText();
                }
            } catch (IOException notJson) {
                // fall through: show the text
            }
            String s = new String(bytes, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "no message" : s.substring(0, Math.min(200, s.length()));
        } catch (IOException e) {
            return "no readable body";
        }
    }

    private LlmlabException failure(int status, String message) {
        String where = endpoint + " answered HTTP " + status + ": " + message;
        return switch (status) {
            case 401, 403 -> new LlmlabException(where + "; set OPENAI_API_KEY or pass --api-key with a key the "
                    + "server accepts");
            case 404 -> new ModelNotFoundException(where + "; check the model name after '#' (GET "
                    + endpoint.baseUrl() + "/models lists them)");
            case 400, 413, 422 -> new InvalidRequestException(where);
            case 429 -> new LlmlabException(where + "; the server is busy, retry later");
            default -> new LlmlabException(where);
        };
    }

    private LlmlabException unreachable(ConnectException e) {
        return new LlmlabException(endpoint + ": cannot connect to " + endpoint.baseUrl() + " (" + e.getMessage()
                + "); is the server running there?", e);
    }

    private void closeResponse() {
        if (response != null) {
            try {
                response.close();
            } catch (IOException ignored) {
                // closing aborts the connection; an error here changes nothing
            }
            response = null;
        }
    }

    /** Stops reading; closing the connection tells the server to cancel the generation. */
    @Override
    public void close() {
        closed = true;
        closeResponse();
    }
}
