package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BasicGenerationTest {

    @Test
    void streamsTheDefaultPromptAndForwardsEveryEvent() {
        ScriptedGenerator generator = new ScriptedGenerator(", there", " was", " a dog");
        RecordingListener listener = new RecordingListener();
        ExperimentParams params = new ExperimentParams(null, SamplingParams.greedy(), 3);

        ExperimentResult result = new BasicGeneration().run(
                new ExperimentContext(GeneratorSource.of(generator), params, listener));

        assertThat(generator.requests).singleElement().satisfies(r -> {
            assertThat(r.prompt()).isEqualTo(BasicGeneration.DEFAULT_PROMPT).isEqualTo("Once upon a time");
            assertThat(r.maxTokens()).isEqualTo(3);
            assertThat(r.sampling()).isEqualTo(SamplingParams.greedy());
            assertThat(r.addBos()).isNull();
        });
        assertThat(listener.requests).containsExactlyElementsOf(generator.requests);
        assertThat(listener.events).hasSize(5);
        assertThat(listener.events.getFirst()).isInstanceOf(GenerationEvent.PromptProcessed.class);
        assertThat(listener.events.getLast()).isInstanceOf(GenerationEvent.Finished.class);
        assertThat(result.number()).isEqualTo(1);
        assertThat(result.name()).isEqualTo("basic-generation");
        assertThat(result.generations()).singleElement()
                .satisfies(g -> assertThat(g.result().text()).isEqualTo(", there was a dog"));
        assertThat(generator.streamsClosed).as("the stream is closed after use").isEqualTo(1);
        assertThat(generator.closed).as("the source's owner closes the generator").isFalse();
    }

    @Test
    void usesTheUsersPromptAndStopStrings() {
        ScriptedGenerator generator = new ScriptedGenerator("!");
        ExperimentParams params = new ExperimentParams("The little dog", SamplingParams.defaults().withSeed(7), 50,
                List.of("\n"));

        new BasicGeneration().run(new ExperimentContext(GeneratorSource.of(generator), params,
                ExperimentListener.silent()));

        assertThat(generator.requests).singleElement().satisfies(r -> {
            assertThat(r.prompt()).isEqualTo("The little dog");
            assertThat(r.sampling().seed()).isEqualTo(7);
            assertThat(r.stopStrings()).containsExactly("\n");
        });
    }
}
