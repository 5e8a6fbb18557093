package dev.llmlab.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server answers with an OpenAI-style error body, {@code {"error":{"message","type","param","code"}}}.
 * Thrown inside the server only; handlers turn it into the response.
 */
final class ApiError extends RuntimeException {
    static final String INVALID_REQUEST = "invalid_request_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a parameter is malformed or has a value llmlab does not support. */
    static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, INVALID_REQUEST, param, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
