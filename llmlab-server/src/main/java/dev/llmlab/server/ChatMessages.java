package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.chat.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads OpenAI's {@code messages}: each a role and a content that is a string or a list of text parts. Images,
 * audio, tool calls and names are refused, not dropped.
 */
final class ChatMessages {
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");

    private ChatMessages() {
    }

    static List<ChatMessage> parse(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.invalid("messages", "missing_required_parameter", "missing required parameter 'messages'");
        }
        if (!messages.isArray()) {
            throw RequestFields.wrongType("messages", "an array of messages", messages);
        }
        if (messages.isEmpty()) {
            throw ApiError.invalid("messages", "invalid_value", "'messages' must hold at least one message");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String where) {
        if (!m.isObject()) {
            throw RequestFields.wrongType(where, "an object with role and content", m);
        }
        m.fieldNames().forEachRemaining(name -> {
            if (!MESSAGE_FIELDS.contains(name) && !m.get(name).isNull()) {
                throw ApiError.invalid(where + "." + name, "unsupported_parameter", "unsupported message field '"
                        + name + "': llmlab's chat takes role and content only");
            }
        });
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual() || role.textValue().isBlank()) {
            throw ApiError.invalid(where + ".role", "invalid_value", where
                    + " needs a role: system, developer, user or assistant");
        }
        return new ChatMessage(role.textValue(), content(m.get("content"), where + ".content"));
    }

    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) {
            throw ApiError.invalid(where, "missing_required_parameter", where + " is missing");
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (!c.isArray()) {
            throw RequestFields.wrongType(where, "a string or an array of text parts", c);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonNode part = c.get(i);
            JsonNode type = part.get("type");
            if (type == null || !"text".equals(type.asText()) || part.get("text") == null
                    || !part.get("text").isTextual()) {
                throw ApiError.invalid(where + "[" + i + "]", "unsupported_value", "only text parts "
                        + "({\"type\":\"text\",\"text\":\"...\"}) are supported; llmlab's models read text only");
            }
            text.append(part.get("text").textValue());
        }
        return text.toString();
    }
}
