package dev.llmlab.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Sends an {@link ApiError} as an OpenAI-style JSON error body with its status. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static void send(ServerResponse res, ApiError error) {
        res.status(error.status());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (error.status() == 429) {
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        if (error.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.send(Json.bytes(error.toJson()));
    }
}
