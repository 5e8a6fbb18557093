package dev.llmlab.experiment;

import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.generate.GenerationRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiment 7: a conversation with a system prompt, formatted by the backend with the model's chat template
 * ({@code Generator.chat}), so the model sees exactly what it was trained on; streamed like experiment 1.
 */
public final class ChatWithSystemPrompt implements Experiment {
    public static final String DEFAULT_SYSTEM = "You are a friendly storyteller who answers in two sentences.";
    public static final String DEFAULT_USER = "Tell me about a dog who finds a ball.";

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String description() {
        return "Chat with a system prompt through the model's chat template";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(new ExperimentOption("system", DEFAULT_SYSTEM, "the system prompt (also --system); "
                + "--prompt is the user's message"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        String system = p.option("system", DEFAULT_SYSTEM);
        String user = p.promptOr(DEFAULT_USER);
        List<ChatMessage> messages = new ArrayList<>();
        if (!system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(user));
        ChatRequest chat = new ChatRequest(messages, p.sampling(), p.maxTokens(), p.stopStrings());
        // what the panels show; the backend renders the real prompt with the model's template
        GenerationRequest shown = new GenerationRequest("[system] " + system + "\n[user] " + user, p.sampling(),
                p.maxTokens(), p.stopStrings(), null);
        Generation reply = context.chat("", chat, shown);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("prompt_tokens", (double) reply.result().timings().promptTokens());
        metrics.put("reply_tokens", (double) reply.result().timings().generatedTokens());
        metrics.put("tokens_per_second", reply.result().timings().tokensPerSecond());
        return ExperimentResult.of(this, List.of(reply), metrics, null);
    }
}
