package dev.llmlab.experiment;

import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplingSweepTest {

    @Test
    void gridIsEveryCombinationTemperaturesOutermost() {
        ExperimentParams p = new ExperimentParams(null, SamplingParams.defaults(), 5, List.of(),
                Map.of("temperatures", "0, 0.5", "top-k", "0,40", "seeds", "7"));
        List<SamplingParams> grid = SamplingSweep.grid(p, p.sampling());
        assertThat(grid).hasSize(4);
        assertThat(grid).extracting(SamplingParams::temperature).containsExactly(0f, 0f, 0.5f, 0.5f);
        assertThat(grid).extracting(SamplingParams::topK).containsExactly(0, 40, 0, 40);
        assertThat(grid).extracting(SamplingParams::seed).containsOnly(7L);
        assertThat(grid).extracting(SamplingParams::topP).containsOnly(SamplingParams.defaults().topP());
        assertThatThrownBy(() -> SamplingSweep.grid(p.withOptions(Map.of("temperatures", "hot")), p.sampling()))
                .hasMessageContaining("option 'temperatures': 'hot' is not numbers");
    }

    @Test
    void onStoriesGreedyIgnoresTheSeedAndHotSamplingFollowsIt() {
        try (LocalModel model = LocalModel.load(Fixtures.sharedFile("models/stories260K.gguf"),
                LoadOptions.defaults().withThreads(2).withContextLength(128));
             LocalGenerator generator = new LocalGenerator(model)) {
            ExperimentParams p = new ExperimentParams(null, SamplingParams.defaults(), 30, List.of(),
                    Map.of("temperatures", "0,1.5", "seeds", "1,2,1", "top-k", "0"));
            RecordingListener listener = new RecordingListener();
            ExperimentResult r = new SamplingSweep().run(new ExperimentContext(GeneratorSource.of(generator), p,
                    listener));

            assertThat(r.generations()).hasSize(6);
            List<List<Integer>> tokens = r.generations().stream().map(g -> g.result().tokenIds()).toList();
            assertThat(tokens.get(0)).as("greedy: the seed does not matter").isEqualTo(tokens.get(1))
                    .isEqualTo(tokens.get(2));
            assertThat(tokens.get(3)).as("same seed, same tokens").isEqualTo(tokens.get(5));
            assertThat(tokens.get(3)).as("another seed at T=1.5").isNotEqualTo(tokens.get(4));
            assertThat(tokens.get(3)).as("hot sampling leaves the greedy path").isNotEqualTo(tokens.get(0));
            assertThat(r.metrics().get("distinct_outputs")).isEqualTo(3.0);
            assertThat(listener.labels).first().isEqualTo("T=0.0 top-p=" + SamplingParams.defaults().topP()
                    + " top-k=0 seed=1");
            assertThat(listener.tables).singleElement().satisfies(t -> {
                assertThat(t.getFirst()).containsExactly("T", "top-p", "top-k", "seed", "tokens", "distinct", "t/s",
                        "output");
                assertThat(t).hasSize(7);
                assertThat(t.get(1).getLast()).startsWith(r.generations().getFirst().result().text().strip()
                        .substring(0, 10));
            });
        }
    }
}
