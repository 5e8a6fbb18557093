package dev.llmlab.chat;

import dev.llmlab.error.InvalidRequestException;

/**
 * One message of a conversation.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} (templates may accept others, e.g. {@code tool})
 * @param content the message text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new InvalidRequestException("a chat message needs a role (system, user or assistant)");
        }
        if (content == null) {
            throw new InvalidRequestException("chat message content must not be null (role " + role + ")");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
