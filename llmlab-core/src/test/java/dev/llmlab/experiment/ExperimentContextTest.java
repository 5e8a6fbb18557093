package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentContextTest {

    @Test
    void generateOpensTheGeneratorLazilyAndLabelsTheGeneration() {
        ScriptedGenerator generator = new ScriptedGenerator("a", "b");
        int[] opened = {0};
        GeneratorSource source = () -> {
            opened[0]++;
            return generator;
        };
        RecordingListener listener = new RecordingListener();
        ExperimentContext context = new ExperimentContext(source,
                new ExperimentParams(null, SamplingParams.greedy(), 2), listener);
        assertThat(opened[0]).isZero();

        GenerationResult result = context.generateResult("t=0.2", GenerationRequest.of("hi", SamplingParams.greedy(), 2));

        assertThat(opened[0]).isEqualTo(1);
        assertThat(listener.labels).containsExactly("t=0.2");
        assertThat(result.text()).isEqualTo("ab");
        assertThat(result.tokenIds()).containsExactly(100, 101);
    }

    @Test
    void promptOrFallsBackToTheExperimentsDefault() {
        assertThat(new ExperimentParams(null, SamplingParams.greedy(), 1).promptOr("x")).isEqualTo("x");
        assertThat(new ExperimentParams("", SamplingParams.greedy(), 1).promptOr("x")).isEmpty();
    }
}
