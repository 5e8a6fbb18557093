package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentRegistryTest {
    private final ExperimentRegistry registry = ExperimentRegistry.defaults();

    @Test
    void defaultsStartWithBasicGeneration() {
        assertThat(registry.all()).isNotEmpty();
        assertThat(registry.all().getFirst()).isInstanceOf(BasicGeneration.class);
        assertThat(registry.all().getFirst().number()).isEqualTo(1);
    }

    @Test
    void findsByNumberOrName() {
        assertThat(registry.find("1")).isInstanceOf(BasicGeneration.class);
        assertThat(registry.find(" basic-generation ")).isInstanceOf(BasicGeneration.class);
        assertThat(registry.find("Basic-Generation")).isInstanceOf(BasicGeneration.class);
    }

    @Test
    void unknownIdListsTheValidOnes() {
        assertThatThrownBy(() -> registry.find("99"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unknown experiment '99'")
                .hasMessageContaining("1 (basic-generation)");
    }

    @Test
    void refusesDuplicateNumbersAndNames() {
        assertThatThrownBy(() -> new ExperimentRegistry(List.of(new BasicGeneration(), new BasicGeneration())))
                .hasMessageContaining("number 1");
    }

    @Test
    void aNewExperimentIsOneClassAndOneListEntry() {
        Experiment echo = new Experiment() {
            @Override
            public int number() {
                return 2;
            }

            @Override
            public String name() {
                return "echo";
            }

            @Override
            public String description() {
                return "says hello";
            }

            @Override
            public ExperimentResult run(ExperimentContext context) {
                context.listener().note("hello");
                return new ExperimentResult(2, "echo", List.of(), java.util.Map.of(), null);
            }
        };
        ExperimentRegistry withEcho = new ExperimentRegistry(List.of(new BasicGeneration(), echo));
        assertThat(withEcho.find("echo")).isSameAs(echo);
        assertThat(withEcho.find("2")).isSameAs(echo);
    }
}
