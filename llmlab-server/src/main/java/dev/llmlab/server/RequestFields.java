package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The fields of a JSON request body, read with OpenAI-style errors: a field of the wrong type names itself, a
 * field llmlab does not know is refused instead of ignored. JSON null counts as absent, as in OpenAI's API.
 */
final class RequestFields {
    private final ObjectNode body;

    private RequestFields(ObjectNode body) {
        this.body = body;
    }

    /** Checks that every field of {@code body} is one of {@code accepted}. */
    static RequestFields of(ObjectNode body, Set<String> accepted) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw ApiError.invalid(name, "unsupported_parameter", "unsupported parameter '" + name
                        + "': llmlab does not implement it and will not ignore it silently; remove it from the "
                        + "request (supported: " + String.join(", ", accepted.stream().sorted().toList()) + ")");
            }
        }
        return new RequestFields(body);
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    JsonNode node(String name) {
        return body.get(name);
    }

    Optional<String> string(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode n = body.get(name);
        if (!n.isTextual()) {
            throw wrongType(name, "a string", n);
        }
        return Optional.of(n.textValue());
    }

    String requiredString(String name) {
        return string(name).orElseThrow(() -> ApiError.invalid(name, "missing_required_parameter",
                "missing required parameter '" + name + "'"));
    }

    Optional<Boolean> bool(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode n = body.get(name);
        if (!n.isBoolean()) {
            throw wrongType(name, "a boolean", n);
        }
        return Optional.of(n.booleanValue());
    }

    /** A number in {@code [min, max]}. */
    Optional<Double> number(String name, double min, double max) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode n = body.get(name);
        if (!n.isNumber()) {
            throw wrongType(name, "a number", n);
        }
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            throw ApiError.invalid(name, "invalid_value", "'" + name + "' must be between " + fmt(min) + " and "
                    + fmt(max) + ", got " + n);
        }
        return Optional.of(v);
    }

    /** A whole number in {@code [min, max]}. */
    Optional<Long> integer(String name, long min, long max) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode n = body.get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrongType(name, "an integer", n);
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw ApiError.invalid(name, "invalid_value", "'" + name + "' must be between " + min + " and " + max
                    + ", got " + v);
        }
        return Optional.of(v);
    }

    /** A string or an array of strings (as {@code stop} is), each non-empty; at most {@code maxCount}. */
    List<String> stringOrList(String name, int maxCount) {
        if (!has(name)) {
            return List.of();
        }
        JsonNode n = body.get(name);
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.textValue());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw wrongType(name, "a string or an array of strings", n);
                }
                out.add(e.textValue());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", n);
        }
        if (out.size() > maxCount) {
            throw ApiError.invalid(name, "invalid_value", "'" + name + "' takes at most " + maxCount
                    + " strings, got " + out.size());
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalid(name, "invalid_value", "'" + name + "' must not contain empty strings");
        }
        return out;
    }

    /** Refuses a field that is present with anything but its default (e.g. {@code n} other than 1). */
    void onlyDefault(String name, Predicate<JsonNode> isDefault, String why) {
        if (has(name) && !isDefault.test(body.get(name))) {
            throw ApiError.invalid(name, "unsupported_value", "unsupported value of '" + name + "': " + why);
        }
    }

    static ApiError wrongType(String name, String expected, JsonNode got) {
        return ApiError.invalid(name, "invalid_type", "'" + name + "' must be " + expected + ", got "
                + kind(got) + " " + abbreviate(got.toString()));
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> "null";
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
