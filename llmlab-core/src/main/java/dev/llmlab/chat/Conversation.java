package dev.llmlab.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The history of one chat: an optional system message, then user and assistant turns. Not thread-safe; one
 * per conversation.
 */
public final class Conversation {
    private final Optional<ChatMessage> system;
    private final List<ChatMessage> turns = new ArrayList<>();

    /** @param systemPrompt the system message, or null/blank for none */
    public Conversation(String systemPrompt) {
        this.system = systemPrompt == null || systemPrompt.isBlank() ? Optional.empty()
                : Optional.of(ChatMessage.system(systemPrompt));
    }

    /** The messages so far, system first, followed by {@code next} (not yet part of the history). */
    public List<ChatMessage> with(ChatMessage next) {
        List<ChatMessage> all = new ArrayList<>(turns.size() + 2);
        system.ifPresent(all::add);
        all.addAll(turns);
        all.add(next);
        return List.copyOf(all);
    }

    /** Records a finished exchange. */
    public void add(ChatMessage user, ChatMessage assistant) {
        turns.add(user);
        turns.add(assistant);
    }

    /** Forgets every turn; the system message stays. */
    public void reset() {
        turns.clear();
    }

    public int turnCount() {
        return turns.size() / 2;
    }
}
