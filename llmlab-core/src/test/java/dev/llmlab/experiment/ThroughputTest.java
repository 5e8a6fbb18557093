package dev.llmlab.experiment;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputTest {

    @Test
    void measuresEveryLengthAtEveryThreadCountWithRepetitions(@TempDir Path dir) {
        Path tiny = TestModels.synthetic(dir, GgmlType.Q4_0);
        List<String> loaded = new ArrayList<>();
        LocalModelSource models = TestModels.source(Map.of("tiny", tiny), List.of("tiny"), loaded);
        ExperimentParams p = new ExperimentParams(null, SamplingParams.greedy(), 0, List.of(),
                Map.of("prompt-lengths", "8,32", "gen-tokens", "4", "threads", "1,2", "repetitions", "3",
                        "warmup", "0"));
        RecordingListener listener = new RecordingListener();

        ExperimentResult r = new Throughput().run(new ExperimentContext(() -> null, models, p, listener));

        assertThat(loaded).as("loaded once per thread count").hasSize(2);
        @SuppressWarnings("unchecked")
        List<Throughput.Row> rows = (List<Throughput.Row>) r.details();
        assertThat(rows).extracting(row -> row.threads() + ":" + row.test())
                .containsExactly("1:pp8", "1:pp32", "1:tg4", "2:pp8", "2:pp32", "2:tg4");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.runsTokensPerSecond()).hasSize(3).allSatisfy(v -> assertThat(v).isPositive());
            assertThat(row.stddevTokensPerSecond()).isNotNegative();
            double mean = row.runsTokensPerSecond().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(row.meanTokensPerSecond()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-9 * mean));
        });
        assertThat(r.metrics()).containsKeys("pp8@1t", "pp32@2t", "tg4@2t");
        assertThat(listener.progress).hasSize(2 * 3 * 3).last().isEqualTo("runs 18/18");
        assertThat(listener.tables).singleElement().satisfies(t -> assertThat(t.get(1).get(2)).contains(" ± "));
    }
}
