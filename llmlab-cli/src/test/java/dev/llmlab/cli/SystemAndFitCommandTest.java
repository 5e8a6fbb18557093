package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemAndFitCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void systemDescribesTheMachineAndTheEngine() {
        CliRun run = CliRun.plain("system");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("CPU", "cores", "RAM", "JVM max heap", "GPUs", "kernels", "threads",
                "precision", dev.llmlab.kernels.KernelRegistry.best().description());
    }

    @Test
    void systemJsonHasTheFactsScriptsNeed() throws Exception {
        CliRun run = CliRun.plain("system", "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode node = json.readTree(run.out());
        assertThat(node.at("/memory/totalBytes").asLong()).isPositive();
        assertThat(node.at("/cpu/logicalCores").asInt()).isPositive();
        assertThat(node.at("/jvm/maxHeapBytes").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(node.get("gpus").isArray()).isTrue();
    }
}
