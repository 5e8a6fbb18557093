package dev.llmlab.cli;

import dev.llmlab.chat.ChatMessage;
import dev.llmlab.chat.ChatRequest;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import dev.llmlab.testing.StoriesWithChatTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llmlab chat} with stdin piped, end to end through {@link Main#run}: each reply on stdout must equal what
 * {@link LocalGenerator#chat} gives for the conversation the command should have kept (greedy decoding).
 */
class ChatCommandTest {
    private static final int MAX_TOKENS = 24;

    @TempDir
    Path dir;

    private static CliRun chat(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(CliRun.sharedModelsEnv(), TerminalCapabilities.plain(80),
                TerminalCapabilities.plain(80));
        List<String> all = new ArrayList<>(List.of("chat", "--max-tokens", String.valueOf(MAX_TOKENS),
                "--temperature", "0", "--threads", "1"));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(String[]::new), env,
                new CliInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The reply the engine gives to {@code messages}, computed directly. */
    private static String reply(Path model, List<ChatMessage> messages) {
        try (LocalModel m = LocalModel.load(model, LoadOptions.defaults().withThreads(1));
             LocalGenerator g = new LocalGenerator(m);
             GenerationStream s = g.chat(ChatRequest.of(messages, SamplingParams.greedy(), MAX_TOKENS))) {
            while (s.hasNext()) {
                if (s.next() instanceof GenerationEvent.Finished f) {
                    GenerationResult r = f.result();
                    return r.text();
                }
            }
        }
        throw new AssertionError("no result");
    }

    @Test
    void keepsTheHistoryAcrossTurnsAndResetsIt() {
        Path stories = Fixtures.sharedFile("models/stories260K.gguf");
        CliRun run = chat("Once upon a time\nLily\n/reset\nLily\n", "--model", stories.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String first = reply(stories, List.of(ChatMessage.user("Once upon a time")));
        String second = reply(stories, List.of(ChatMessage.user("Once upon a time"), ChatMessage.assistant(first),
                ChatMessage.user("Lily")));
        String afterReset = reply(stories, List.of(ChatMessage.user("Lily")));
        assertThat(second).as("the history changes the reply").isNotEqualTo(afterReset);
        assertThat(run.out()).isEqualTo(first + "\n" + second + "\n" + afterReset + "\n");
        assertThat(run.err()).contains("chat template: ChatML fallback (the model has no chat template)")
                .contains("history cleared");
    }

    @Test
    void exitEndsTheChatAndTheSystemMessageIsSent() {
        Path model = StoriesWithChatTemplate.write(dir.resolve("stories-chat.gguf"));
        CliRun run = chat("Once upon a time\n/exit\nnever read\n", "--model", model.toString(),
                "--system", "Tell stories.");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String expected = reply(model, List.of(ChatMessage.system("Tell stories."),
                ChatMessage.user("Once upon a time")));
        assertThat(run.out()).isEqualTo(expected + "\n");
        assertThat(run.err()).contains("chat template: ").contains("tokenizer.chat_template");
    }

    @Test
    void pipedAHistoryThatOutgrowsTheContextFailsWithExitCode1() {
        CliRun run = chat("Once upon a time\nLily went to the park\n", "--model",
                Fixtures.sharedFile("models/stories260K.gguf").toString(), "--context", "96");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("context full").contains("--context");
    }

    @Test
    void emptyInputEndsAtOnce() {
        CliRun run = chat("", "--model", Fixtures.sharedFile("models/stories260K.gguf").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
    }
}
