package dev.llmlab.server;

import dev.llmlab.error.LlmlabException;
import dev.llmlab.generate.Generator;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenAI-compatible HTTP server over llmlab generators (Helidon SE WebServer: one virtual thread per request;
 * generations run on the scheduler's session threads). Routes: {@link #ROUTES}.
 */
public final class OpenAiServer implements AutoCloseable {
    public static final List<String> ROUTES = List.of("GET /v1/models", "POST /v1/completions",
            "POST /v1/chat/completions", "GET /health", "GET /metrics");
    private static final Set<String> KNOWN_PATHS = Set.of("/v1/models", "/v1/completions", "/v1/chat/completions",
            "/health", "/metrics");

    private final WebServer server;
    private final GenerationScheduler scheduler;
    private final ServerConfig config;

    private OpenAiServer(WebServer server, GenerationScheduler scheduler, ServerConfig config) {
        this.server = server;
        this.scheduler = scheduler;
        this.config = config;
    }

    /**
     * Starts serving {@code model}; one generator per parallel session ({@code generators.size()} must equal
     * {@code config.parallel()}). The server owns the generators and closes them.
     */
    public static OpenAiServer start(ServerConfig config, ServedModel model, List<Generator> generators) {
        if (generators.size() != config.parallel()) {
            throw new IllegalArgumentException("need " + config.parallel() + " generators, got " + generators.size());
        }
        GenerationScheduler scheduler = new GenerationScheduler(generators, config.queueCapacity());
        ServerMetrics metrics = new ServerMetrics(scheduler::queued, scheduler::running, scheduler.sessions());
        OpenAiRoutes routes = new OpenAiRoutes(model, scheduler, new RequestBodies(config.maxBodyBytes()), metrics);
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter((chain, req, res) -> filter(config, metrics, chain, req, res))
                .get("/v1/models", routes::models)
                .post("/v1/completions", routes::completions)
                .post("/v1/chat/completions", routes::chatCompletions)
                .get("/health", routes::health)
                .get("/metrics", routes::metrics)
                .any(routes::notFound)
                .error(ApiError.class, (req, res, e) -> ErrorResponses.send(res, e))
                .error(RuntimeException.class, (req, res, e) -> ErrorResponses.send(res, Failures.toApiError(e)));
        try {
            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
            if (!server.isRunning() || server.port() <= 0) {
                server.stop();
                throw new LlmlabException("cannot listen on " + config.host() + ":" + config.port()
                        + ": the port is in use or the address is not this machine's; pick another --port "
                        + "(0 takes a free one) or stop the other server");
            }
            return new OpenAiServer(server, scheduler, config);
        } catch (RuntimeException e) {
            scheduler.close();
            throw e;
        }
    }

    /** Authentication (every route but /health) and request metrics. */
    private static void filter(ServerConfig config, ServerMetrics metrics, FilterChain chain, RoutingRequest req,
                               RoutingResponse res) {
        long start = System.nanoTime();
        String path = req.path().path();
        try {
            if (config.apiKey() != null && !path.equals("/health")) {
                Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
                if (auth.isEmpty()) {
                    ErrorResponses.send(res, unauthorized("missing_api_key", "this server requires an API key: send "
                            + "the header 'Authorization: Bearer KEY' with the key given to llmlab serve --api-key"));
                    return;
                }
                if (!matches(auth.get(), config.apiKey())) {
                    ErrorResponses.send(res, unauthorized("invalid_api_key", "incorrect API key: send 'Authorization: "
                            + "Bearer KEY' with the key given to llmlab serve --api-key"));
                    return;
                }
            }
            chain.proceed();
        } finally {
            metrics.request(KNOWN_PATHS.contains(path) ? path : "other", res.status().code(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static ApiError unauthorized(String code, String message) {
        return new ApiError(401, ApiError.INVALID_REQUEST, null, code, message);
    }

    /** Constant-time comparison, so the key cannot be guessed from response times. */
    private static boolean matches(String header, String key) {
        String expected = "Bearer " + key;
        return MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The port the server listens on (the one picked when the config said 0). */
    public int port() {
        return server.port();
    }

    /** The base address, e.g. {@code http://127.0.0.1:8080}. */
    public String address() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /** Stops accepting requests, ends running generations and closes the generators. */
    @Override
    public void close() {
        server.stop();
        scheduler.close();
    }
}
