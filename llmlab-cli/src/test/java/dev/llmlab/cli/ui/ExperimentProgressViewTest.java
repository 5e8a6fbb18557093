package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress lines and result tables of experiments that are not generations, in the three views. */
class ExperimentProgressViewTest {
    private final UiFixtures.Capture out = new UiFixtures.Capture();
    private final UiFixtures.ManualTicker ticker = new UiFixtures.ManualTicker();

    @Test
    void liveViewRedrawsOneLineInPlaceAndMovesBelowItWhenSomethingElsePrints() {
        LiveGenerationView view = new LiveGenerationView(out.stream, TerminalCapabilities.ansi(60), ticker);
        view.progress("runs", 0, 4, "");
        for (int i = 1; i <= 2; i++) {
            ticker.advance(Duration.ofMillis(100));
            view.progress("runs", i, 4, "run " + i);
        }
        view.modelLoaded(UiFixtures.modelInfo()); // a reload in the middle of the step
        ticker.advance(Duration.ofMillis(100));
        view.progress("runs", 4, 4, "done");
        view.table("Results", List.of("a", "b"), List.of(List.of("1", "x".repeat(100))));

        List<String> screen = TerminalEmulator.render(out.text());
        assertThat(screen.get(0)).contains("runs 2/4").contains("50%").contains("run 2");
        assertThat(screen.get(1)).contains("Loaded").contains("stories260K");
        assertThat(screen.get(2)).startsWith("✔ runs 4/4").contains("100%").contains("done");
        assertThat(screen.get(3)).isEqualTo("Results");
        assertThat(screen.subList(2, screen.size())).as("progress and table fit the terminal")
                .allSatisfy(line -> assertThat(TextWrap.length(line)).isLessThanOrEqualTo(60));
        assertThat(screen.get(6)).startsWith("1  xxxx");
    }

    @Test
    void plainViewPrintsOneLinePerFinishedStepAndTheTable() {
        PlainGenerationView view = PlainGenerationView.report(out.stream);
        view.progress("chunks", 1, 2, "[1]3.0");
        view.progress("chunks", 2, 2, "[2]2.5");
        view.table("Results", List.of("a", "b"), List.of(List.of("1", "2")));
        assertThat(out.text()).isEqualTo("chunks 2/2  [2]2.5\nResults\na  b\n─  ─\n1  2\n\n");
    }

    @Test
    void jsonViewEmitsProgressTableAndNoteLines() {
        JsonLinesView view = new JsonLinesView(out.stream);
        view.progress("chunks", 1, 2, "[1]3.0");
        view.table("T", List.of("a"), List.of(List.of("1")));
        view.note("hello");
        assertThat(out.text()).isEqualTo("""
                {"type":"progress","task":"chunks","done":1,"total":2,"detail":"[1]3.0"}
                {"type":"table","title":"T","header":["a"],"rows":[["1"]]}
                {"type":"note","text":"hello"}
                """);
    }
}
