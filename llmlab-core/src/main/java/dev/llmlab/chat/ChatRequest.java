package dev.llmlab.chat;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.sampling.SamplingParams;

import java.util.List;

/**
 * A conversation to continue: the backend formats the messages (the model's chat template, or the server's).
 *
 * @param messages    the conversation so far, oldest first
 * @param sampling    sampling parameters
 * @param maxTokens   the most tokens to generate
 * @param stopStrings generation stops before any of these strings
 */
public record ChatRequest(List<ChatMessage> messages, SamplingParams sampling, int maxTokens,
                          List<String> stopStrings) {

    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new InvalidRequestException("a chat request needs at least one message");
        }
        if (maxTokens < 0) {
            throw new InvalidRequestException("max tokens must be 0 or more, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    public static ChatRequest of(List<ChatMessage> messages, SamplingParams sampling, int maxTokens) {
        return new ChatRequest(messages, sampling, maxTokens, List.of());
    }
}
