package dev.llmlab.experiment;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.modify.SelectLayers;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LayerAblationTest {
    private static final int CONTEXT = 64;

    @Test
    void eachLayerDroppedAloneGetsExperimentSixsPerplexityOfThatModel(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("story.txt");
        try (InputStream in = getClass().getResourceAsStream("/texts/lily-and-the-ball.txt")) {
            Files.write(text, in.readAllBytes());
        }
        Path stories = Fixtures.sharedFile("models/stories260K.gguf");
        LocalModelSource models = new LocalModelSource(List.of("stories"), ref -> stories,
                LoadOptions.defaults().withThreads(1).withContextLength(CONTEXT), info -> { });
        ExperimentParams p = new ExperimentParams(null, SamplingParams.greedy(), 0, List.of(),
                Map.of("file", text.toString(), "gen-tokens", "4"));
        RecordingListener listener = new RecordingListener();

        ExperimentResult r = new LayerAblation().run(new ExperimentContext(() -> null, models, p, listener));

        LayerAblation.Details d = (LayerAblation.Details) r.details();
        assertThat(d.rows()).extracting(LayerAblation.Row::label)
                .containsExactly("none", "drop 0", "drop 1", "drop 2", "drop 3", "drop 4");
        String story = Perplexity.readText(text.toString());
        try (GgufFile f = GgufFile.open(stories, LoadMode.READ)) {
            GgufModel base = GgufModel.of(f);
            for (int i : new int[]{0, 3}) {
                GgufModel dropped = SelectLayers.drop(i == 0 ? Set.of() : Set.of(i - 1)).apply(base);
                try (LocalModel m = LocalModel.load(dropped, LoadOptions.defaults().withThreads(1)
                        .withContextLength(CONTEXT))) {
                    double expected = Perplexity.evaluate(m, story, CONTEXT, 0, 0, ExperimentListener.silent())
                            .perplexity();
                    assertThat(d.rows().get(i).perplexity()).as(d.rows().get(i).label())
                            .isCloseTo(expected, within(expected * 1e-6));
                }
            }
        }
        assertThat(d.rows().getFirst().layers()).isEqualTo(5);
        assertThat(d.rows().get(1).layers()).isEqualTo(4);
        assertThat(d.rows()).allSatisfy(row -> assertThat(row.generationTokensPerSecond()).isPositive());
        assertThat(d.rows().stream().skip(1)).as("a trained model gets worse without any one of its layers")
                .allSatisfy(row -> assertThat(row.perplexity()).isGreaterThan(d.rows().getFirst().perplexity()));
        assertThat(listener.tables).singleElement().satisfies(t -> assertThat(t.get(1).get(0)).isEqualTo("none"));
        assertThat(r.metrics()).containsKeys("baseline_perplexity", "worst_perplexity");
    }

    @Test
    void cumulativeDropsTheLastLayersOneMoreEachTime() {
        assertThat(LayerAblation.configurations("cumulative", 4)).extracting(s -> new ArrayList<>(s).toString())
                .containsExactly("[]", "[3]", "[2, 3]", "[1, 2, 3]");
        assertThat(LayerAblation.configurations("single", 3)).hasSize(4);
    }
}
