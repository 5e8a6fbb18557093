package dev.llmlab.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.Ticker;
import dev.llmlab.sampling.SamplingParams;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * A {@link Generator} backed by any OpenAI-compatible server (llmlab serve, vLLM, TGI, llama.cpp's server,
 * Ollama): {@code stream} posts to {@code /completions}, {@code chat} to {@code /chat/completions}, both
 * streamed as server-sent events. Timings are measured here, on the client (see {@link RemoteStream}); token
 * ids are not known (events carry -1, results no ids).
 * <p>
 * llmlab's sampling maps onto OpenAI's fields (temperature, top_p, seed, stop, presence/frequency penalties);
 * top-k, min-p and the repeat penalty, which OpenAI's API lacks, are sent under llama.cpp's and vLLM's names
 * ({@code top_k}, {@code min_p}, {@code repeat_penalty}) only when they are in use, since strict servers
 * refuse unknown fields.
 */
public final class OpenAiRemoteGenerator implements Generator {
    /** How long a request may wait for the response headers (a non-streamed reply waits for the whole text). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(10);

    private final OpenAiEndpoint endpoint;
    private final HttpClient http;
    private final Ticker ticker;
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiRemoteGenerator(OpenAiEndpoint endpoint) {
        this(endpoint, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build(), Ticker.system());
    }

    public OpenAiRemoteGenerator(OpenAiEndpoint endpoint, HttpClient http, Ticker ticker) {
        this.endpoint = endpoint;
        this.http = http;
        this.ticker = ticker;
    }

    @Override
    public String describe() {
        return endpoint.toString();
    }

    @Override
    public GenerationStream stream(GenerationRequest request) {
        if (Boolean.FALSE.equals(request.addBos())) {
            throw new UnsupportedModelException(describe() + ": the OpenAI API cannot be told to leave out the "
                    + "beginning-of-sequence token; drop --no-bos for remote models");
        }
        ObjectNode body = common(request.sampling(), request.maxTokens(), request.stopStrings());
        body.put("prompt", request.prompt());
        return new RemoteStream(http, endpoint, RemoteStream.Route.COMPLETIONS, body, ticker, json);
    }

    @Override
    public GenerationStream chat(ChatRequest request) {
        ObjectNode body = common(request.sampling(), request.maxTokens(), request.stopStrings());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        return new RemoteStream(http, endpoint, RemoteStream.Route.CHAT, body, ticker, json);
    }

    private ObjectNode common(SamplingParams s, int maxTokens, List<String> stops) {
        ObjectNode body = json.createObjectNode();
        body.put("model", endpoint.model());
        body.put("max_tokens", maxTokens);
        body.put("temperature", s.isGreedy() ? 0.0 : s.temperature());
        if (!s.isGreedy()) {
            body.put("top_p", s.topP());
            if (s.topK() > 0) {
                body.put("top_k", s.topK());
            }
            if (s.minP() > 0) {
                body.put("min_p", s.minP());
            }
        }
        body.put("seed", s.seed());
        if (s.repeatPenalty() != 1f) {
            body.put("repeat_penalty", s.repeatPenalty());
        }
        if (s.presencePenalty() != 0f) {
            body.put("presence_penalty", s.presencePenalty());
        }
        if (s.frequencyPenalty() != 0f) {
            body.put("frequency_penalty", s.frequencyPenalty());
        }
        if (!stops.isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            stops.forEach(stop::add);
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    @Override
    public void close() {
        // the HttpClient's connections close when it is collected; nothing is held per generator
    }
}
