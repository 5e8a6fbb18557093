package dev.llmlab.server;

import dev.llmlab.error.InvalidRequestException;

/**
 * How the server listens and how much work it accepts.
 *
 * @param host          address to bind; loopback unless the user says otherwise
 * @param port          TCP port; 0 picks a free one
 * @param apiKey        when not null, every route but /health requires {@code Authorization: Bearer apiKey}
 * @param parallel      generations that run at once, each with its own session over the one loaded model
 * @param queueCapacity requests that may wait for a free session; one more is answered 429
 * @param maxBodyBytes  largest request body accepted; a larger one is answered 413
 */
public record ServerConfig(String host, int port, String apiKey, int parallel, int queueCapacity,
                           long maxBodyBytes) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_QUEUE = 64;
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new InvalidRequestException("the host to bind must not be empty (e.g. 127.0.0.1)");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidRequestException("port must be in 0..65535 (0 picks a free port), got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new InvalidRequestException("the API key must not be blank; leave --api-key out for no key");
        }
        if (parallel < 1) {
            throw new InvalidRequestException("--parallel must be at least 1, got " + parallel);
        }
        if (queueCapacity < 1) {
            throw new InvalidRequestException("the request queue must hold at least 1 request, got " + queueCapacity);
        }
        if (maxBodyBytes < 1024) {
            throw new InvalidRequestException("the body size limit must be at least 1024 bytes, got " + maxBodyBytes);
        }
    }

    /** Loopback, the given port, no key, one session, the default queue and body limit. */
    public static ServerConfig loopback(int port) {
        return new ServerConfig(LOOPBACK, port, null, 1, DEFAULT_QUEUE, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, parallel, queueCapacity, maxBodyBytes);
    }

    public ServerConfig withParallel(int n) {
        return new ServerConfig(host, port, apiKey, n, queueCapacity, maxBodyBytes);
    }

    public ServerConfig withQueueCapacity(int n) {
        return new ServerConfig(host, port, apiKey, parallel, n, maxBodyBytes);
    }

    public ServerConfig withMaxBodyBytes(long n) {
        return new ServerConfig(host, port, apiKey, parallel, queueCapacity, n);
    }
}
