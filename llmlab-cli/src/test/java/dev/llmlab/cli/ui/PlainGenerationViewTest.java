package dev.llmlab.cli.ui;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PlainGenerationViewTest {
    private final UiFixtures.Capture out = new UiFixtures.Capture();
    private final UiFixtures.Capture err = new UiFixtures.Capture();

    private static void stream(GenerationView view) {
        view.modelLoaded(UiFixtures.modelInfo());
        view.generationStarted("", GenerationRequest.of("Once upon a time", SamplingParams.greedy(), 3));
        view.generationEvent(new GenerationEvent.PromptProcessed(5, Duration.ofMillis(10)));
        view.generationEvent(new GenerationEvent.Token(0, 1, ", there", Duration.ZERO));
        view.generationEvent(new GenerationEvent.Token(1, 2, " was", Duration.ZERO));
        view.generationEvent(new GenerationEvent.Token(2, 3, "", Duration.ZERO));
        view.generationEvent(UiFixtures.finished(", there was Lily", 3, " Lily"));
    }

    @Test
    void reportHasPromptOutputAndSummaryWithoutEscapeCodes() {
        stream(PlainGenerationView.report(out.stream));
        String text = out.text();
        assertThat(Ansi.hasEscapes(text)).isFalse();
        assertThat(text).startsWith("Loaded stories260K · llama · 1.2 MB · 293K params · F32 x 48 · read · "
                + "4 threads · context 2048 · in 35 ms\n");
        assertThat(text).contains("Prompt: Once upon a time\nOutput:\n, there was Lily\n\nSummary:\n");
        assertThat(text).contains("  Time to first token  12.0 ms").contains("  Finish reason        max tokens");
    }

    @Test
    void textOnlyPutsExactlyTheGeneratedTextOnStdout() {
        stream(PlainGenerationView.textOnly(out.stream, err.stream));
        assertThat(out.text()).isEqualTo(", there was Lily");
        assertThat(err.text()).startsWith("Loaded stories260K").contains("\n\n3 tokens · ").endsWith("max tokens\n");
        assertThat(Ansi.hasEscapes(err.text())).isFalse();
    }
}
