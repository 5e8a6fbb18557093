package dev.llmlab.cli;

import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.chat.Conversation;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.GenerationView;
import dev.llmlab.cli.ui.PlainGenerationView;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code llmlab chat}: a conversation with a model through its chat template. On a terminal each turn is shown
 * in the panels of {@code generate} (the user's message cyan, the reply green, streaming) with line editing;
 * piped, each line of stdin is one user message and stdout gets only the replies, each ending with a newline.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with a model through its chat template (ChatML if it has none).",
                "Type /reset to clear the history, /exit or Ctrl-D to end.",
                "Piped, each input line is a message and stdout gets the replies, each ending with a newline."})
final class ChatCommand implements Callable<Integer> {
    static final String RESET = "/reset";
    static final String EXIT = "/exit";

    private final CliContext context;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message that starts the conversation.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "200",
            description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "S", description = "Stop a reply before this text (repeatable).")
    List<String> stops = List.of();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Mixin
    RemoteKeyOption remoteKey = new RemoteKeyOption();

    ChatCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        boolean interactive = context.in().terminal() && context.stdout().interactive();
        GenerationView view = interactive ? Views.forReport(context, false)
                : PlainGenerationView.textOnly(context.out(), context.err());
        Ansi ansi = new Ansi(interactive && context.stdout().ansi());
        try (LocalGeneratorSource source = LocalGeneratorSource.select(model, remoteKey.apiKey, context,
                view::modelLoaded);
             ChatInput input = interactive ? ChatInput.terminal() : ChatInput.lines(context.in())) {
            Generator generator = source.generator();
            view.note("chat template: " + source.localModel().map(m -> m.chatTemplate().source())
                    .orElse("the server's (" + generator.describe() + ")"));
            if (interactive) {
                view.note(RESET + " clears the history, " + EXIT + " or Ctrl-D ends");
            }
            Conversation conversation = new Conversation(system);
            String prompt = ansi.style("you> ", Style.CYAN);
            for (String line = input.readLine(prompt); line != null; line = input.readLine(prompt)) {
                String message = line.strip();
                if (message.isEmpty()) {
                    continue;
                }
                if (message.equals(EXIT)) {
                    break;
                }
                if (message.equals(RESET)) {
                    conversation.reset();
                    view.note("history cleared");
                    continue;
                }
                try {
                    turn(generator, conversation, ChatMessage.user(line), view, interactive);
                } catch (InvalidRequestException e) {
                    if (!interactive) {
                        throw e;
                    }
                    // e.g. the history outgrew the context: the person can reset and go on
                    view.abandoned();
                    view.note("error: " + e.getMessage() + " (" + RESET + " clears the history)");
                }
            }
        } catch (RuntimeException e) {
            view.abandoned();
            throw e;
        }
        return 0;
    }

    private void turn(Generator generator, Conversation conversation, ChatMessage user, GenerationView view,
                      boolean interactive) {
        ChatRequest request = new ChatRequest(conversation.with(user), sampling.params(), maxTokens, stops);
        // the panels show what the user typed, not the template's rendering of the whole history
        view.generationStarted("turn " + (conversation.turnCount() + 1),
                GenerationRequest.of(user.content(), request.sampling(), maxTokens));
        String reply = "";
        try (GenerationStream stream = generator.chat(request)) {
            while (stream.hasNext()) {
                GenerationEvent event = stream.next();
                view.generationEvent(event);
                if (event instanceof GenerationEvent.Finished f) {
                    reply = f.result().text();
                }
            }
        }
        if (!interactive) {
            context.out().println(); // each reply ends with a newline on stdout
            context.out().flush();
        }
        conversation.add(user, ChatMessage.assistant(reply));
    }
}
