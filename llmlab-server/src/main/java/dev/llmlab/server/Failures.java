package dev.llmlab.server;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;

/** Maps what a generation threw to the OpenAI-style error the client gets. */
final class Failures {
    private Failures() {
    }

    static ApiError toApiError(Throwable e) {
        return switch (e) {
            case ApiError api -> api;
            case InvalidRequestException invalid -> ApiError.invalid(null, "invalid_request", invalid.getMessage());
            case UnsupportedModelException unsupported ->
                    ApiError.invalid(null, "unsupported_by_model", unsupported.getMessage());
            case ModelNotFoundException missing ->
                    new ApiError(404, ApiError.INVALID_REQUEST, "model", "model_not_found", missing.getMessage());
            case LlmlabException other -> new ApiError(502, "server_error", null, "backend_error", other.getMessage());
            default -> new ApiError(500, "server_error", null, "internal_error", "internal error: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        };
    }
}
