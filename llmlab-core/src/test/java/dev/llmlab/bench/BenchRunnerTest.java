package dev.llmlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.generate.Ticker;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchRunnerTest {
    private LocalModel model;

    @BeforeAll
    void writeAndLoadATinyModel(@TempDir Path dir) {
        Path file = dir.resolve("tiny.gguf");
        SyntheticModel.write(file, ModelShape.preset("tiny"), GgmlType.Q8_0, 7);
        model = LocalModel.load(file, LoadOptions.defaults().withThreads(2).withContextLength(64));
    }

    @AfterAll
    void close() {
        model.close();
    }

    /** Every reading of the clock advances it by 1 ms, so each timed run takes exactly 1 ms. */
    private static Ticker steppingTicker() {
        long[] now = {0};
        return () -> now[0] += 1_000_000;
    }

    @Test
    void measuresPromptProcessingAndGenerationWithWarmupAndRepetitions() {
        List<String> runs = new ArrayList<>();
        BenchListener listener = new BenchListener() {
            @Override
            public void runFinished(String test, int run, boolean warmup, double tokensPerSecond) {
                runs.add(test + (warmup ? " w" : " r") + run);
            }
        };

        BenchResult result = new BenchRunner(steppingTicker()).run(model, BenchConfig.of(8, 4, 2), listener);

        assertThat(runs).containsExactly("pp8 w0", "pp8 r0", "pp8 r1", "tg4 w0", "tg4 r0", "tg4 r1");
        assertThat(result.tests()).extracting(BenchTest::name).containsExactly("pp8", "tg4");
        BenchTest pp = result.tests().get(0);
        assertThat(pp.kind()).isEqualTo(BenchTest.PROMPT_PROCESSING);
        assertThat(pp.meanTokensPerSecond()).isCloseTo(8000, within(1e-6));
        assertThat(pp.stddevTokensPerSecond()).isZero();
        assertThat(pp.runsTokensPerSecond()).hasSize(2);
        BenchTest tg = result.tests().get(1);
        assertThat(tg.kind()).isEqualTo(BenchTest.TEXT_GENERATION);
        assertThat(tg.meanTokensPerSecond()).isCloseTo(4000, within(1e-6));
        assertThat(result.threads()).isEqualTo(2);
        assertThat(result.loadMode()).isEqualTo("READ");
        assertThat(result.contextLength()).isEqualTo(64);
        assertThat(result.parameterCount()).isEqualTo(SyntheticModel.parameterCount(ModelShape.preset("tiny")));
        assertThat(result.tensorTypes()).contains("Q8_0");
    }

    @Test
    void realClockGivesPositiveRates() {
        BenchResult result = new BenchRunner().run(model, new BenchConfig(16, 8, 1, 0, 3), BenchListener.silent());
        assertThat(result.tests()).allSatisfy(t -> assertThat(t.meanTokensPerSecond()).isPositive());
    }

    @Test
    void aZeroCountSkipsTheTest() {
        BenchResult result = new BenchRunner(steppingTicker()).run(model, BenchConfig.of(0, 4, 1),
                BenchListener.silent());
        assertThat(result.tests()).extracting(BenchTest::name).containsExactly("tg4");
    }

    @Test
    void refusesTestsLongerThanTheContext() {
        assertThatThrownBy(() -> new BenchRunner().run(model, BenchConfig.of(100, 4, 1), BenchListener.silent()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("needs 100 context positions")
                .hasMessageContaining("--context");
    }

    @Test
    void serializesToSnakeCaseJson() throws Exception {
        BenchResult result = new BenchRunner(steppingTicker()).run(model, BenchConfig.of(8, 4, 1),
                BenchListener.silent());
        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.get("model").asText()).isNotBlank();
        assertThat(json.get("load_mode").asText()).isEqualTo("READ");
        assertThat(json.get("threads").asInt()).isEqualTo(2);
        assertThat(json.get("tests")).hasSize(2);
        JsonNode pp = json.get("tests").get(0);
        assertThat(pp.get("name").asText()).isEqualTo("pp8");
        assertThat(pp.get("mean_tokens_per_second").asDouble()).isCloseTo(8000, within(1e-6));
        assertThat(pp.get("stddev_tokens_per_second").asDouble()).isZero();
        assertThat(pp.get("runs_tokens_per_second")).hasSize(1);
    }
}
