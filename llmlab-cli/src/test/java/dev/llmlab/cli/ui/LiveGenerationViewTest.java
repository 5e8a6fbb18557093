package dev.llmlab.cli.ui;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveGenerationViewTest {
    private final UiFixtures.Capture out = new UiFixtures.Capture();
    private final UiFixtures.ManualTicker ticker = new UiFixtures.ManualTicker();

    private void stream(LiveGenerationView view, List<String> pieces, Duration perToken) {
        view.modelLoaded(UiFixtures.modelInfo());
        view.generationStarted("", GenerationRequest.of("Once upon a time", SamplingParams.greedy(), 10));
        ticker.advance(Duration.ofMillis(10));
        view.generationEvent(new GenerationEvent.PromptProcessed(5, Duration.ofMillis(10)));
        for (int i = 0; i < pieces.size(); i++) {
            ticker.advance(perToken);
            view.generationEvent(new GenerationEvent.Token(i, 100 + i, pieces.get(i), Duration.ZERO));
        }
        view.generationEvent(UiFixtures.finished(String.join("", pieces), pieces.size(), ""));
    }

    @Test
    void drawsPromptOutputStatusAndSummaryPanelsInColour() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(80), ticker);
        stream(view, List.of(", there", " was", " a", " little", " dog"), Duration.ofMillis(60));
        String text = out.text();

        assertThat(text).contains("\u001b[36m╭").contains("\u001b[36;1m Prompt ")
                .contains("\u001b[36mOnce upon a time\u001b[0m");
        assertThat(text).contains("\u001b[32m╭").contains("\u001b[32;1m Output ");
        assertThat(text).contains("\u001b[32m, there was a little dog\u001b[0m");
        assertThat(text).contains("\u001b[34;1m Summary ");
        assertThat(text).as("redraws move the cursor up and clear").contains("\r\u001b[2A\u001b[J");
        assertThat(text).contains("\u001b[2mLoaded \u001b[0m\u001b[1mstories260K\u001b[0m");

        String screen = Ansi.strip(text);
        assertThat(screen).contains("5/10 tokens").contains("100%");
        assertThat(screen).contains("Time to first token").contains("12.0 ms")
                .contains("Prompt               5 tokens in 10 ms · 500.0 t/s")
                .contains("Finish reason        max tokens")
                .contains("stories260K · llmlab-java");
    }

    @Test
    void finalScreenHasOneCopyOfEachLine() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(30), ticker);
        stream(view, List.of("One", " day", " a", " big", " cat", " sat", " on", " the", " mat."),
                Duration.ofMillis(60));
        List<String> screen = TerminalEmulator.render(out.text());
        assertThat(screen).contains(
                "│ One day a big cat sat on   │",
                "│ the mat.                   │");
        assertThat(screen.stream().filter(l -> l.startsWith("╰")).count()).as("bottom borders").isEqualTo(3);
        assertThat(screen.stream().filter(l -> l.contains("tokens ·")).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("✔ 9/10 tokens"));
        assertThat(screen).filteredOn(l -> !l.startsWith("Loaded"))
                .allSatisfy(l -> assertThat(TextWrap.length(l)).isLessThanOrEqualTo(30));
    }

    @Test
    void narrowTerminalsKeepEveryLineInsideTheWidth() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(24), ticker);
        stream(view, List.of("a", " b"), Duration.ofMillis(60));
        List<String> screen = TerminalEmulator.render(out.text());
        assertThat(screen).filteredOn(l -> !l.startsWith("Loaded"))
                .allSatisfy(l -> assertThat(TextWrap.length(l)).isLessThanOrEqualTo(24));
        assertThat(screen).filteredOn(l -> l.startsWith("│") || l.startsWith("╭") || l.startsWith("╰"))
                .allSatisfy(l -> assertThat(TextWrap.length(l)).isEqualTo(24));
        assertThat(screen).filteredOn(l -> l.startsWith("✔")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("✔ 2/10 tokens").as("no bar").doesNotContain("━"));
    }

    @Test
    void aFailureMidwayLeavesTheCursorBelowTheLiveRegion() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(40), ticker);
        view.generationStarted("", GenerationRequest.of("Hi", SamplingParams.greedy(), 10));
        assertThat(out.text()).doesNotEndWith("\n");
        view.abandoned();
        assertThat(out.text()).endsWith("0 µs\n");
        view.abandoned();
        assertThat(out.text()).doesNotEndWith("\n\n");
    }

    @Test
    void redrawsAtMostTwentyTimesASecond() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(40), ticker);
        List<String> pieces = java.util.Collections.nCopies(100, "x");
        stream(view, pieces, Duration.ofMillis(1)); // 100 tokens in 100 ms
        long redraws = out.text().split("\u001b\\[J", -1).length - 1;
        // start, prompt processed, the final one, and at most one per 50 ms of tokens
        assertThat(redraws).isLessThanOrEqualTo(6);
    }
}
