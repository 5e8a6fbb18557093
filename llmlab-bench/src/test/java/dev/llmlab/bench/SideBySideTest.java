package dev.llmlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SideBySide} end to end in a forked JVM, as {@code llmlab bench --compare llama.cpp} runs it: both
 * engines load the real stories260K model and report a rate for every test. The rates are not compared (the
 * machine is shared); that llama.cpp produced its numbers at all is what the JSON lines prove.
 */
class SideBySideTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void jsonHasOneLinePerEngineAndTestWithPositiveRates(@TempDir Path dir) throws Exception {
        Path model = Fixtures.sharedFile("models/stories260K.gguf");
        Run run = sideBySide(dir, model.toString(), "--threads", "1", "--reps", "1", "--prompts", "16",
                "--gen", "8", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().strip().split("\n")) {
            lines.add(JSON.readTree(line)); // stdout holds only JSON lines
        }
        assertThat(lines).extracting(l -> l.get("engine").asText() + " " + l.get("test").asText())
                .containsExactlyInAnyOrder("llmlab pp16", "llama.cpp pp16", "llmlab tg8", "llama.cpp tg8");
        for (JsonNode line : lines) {
            assertThat(line.get("tokens_per_second").asDouble()).as(line.toString()).isPositive();
            assertThat(line.get("median").asDouble()).isEqualTo(line.get("tokens_per_second").asDouble());
            assertThat(line.get("stddev").asDouble()).isZero(); // one run
            assertThat(line.get("runs")).hasSize(1);
            assertThat(line.get("threads").asInt()).isEqualTo(1);
            assertThat(line.get("model").asText()).isEqualTo("stories260K.gguf");
            assertThat(line.get("weights").asText()).isEqualTo("in memory");
            if (line.get("test").asText().startsWith("tg")) {
                assertThat(line.get("weights_gb_per_second").asDouble()).isPositive();
                assertThat(line.get("bandwidth_percent").asDouble()).isPositive();
            }
        }
        assertThat(run.err()).contains("pp16 llmlab run 1").contains("tg8 llama.cpp run 1");
    }

    @Test
    void badOptionsAreAUsageError(@TempDir Path dir) throws Exception {
        Run run = sideBySide(dir, "model.gguf", "--reps", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--reps must be at least 1, got 0").contains("usage: SideBySide");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingModelIsAFailureNamingIt(@TempDir Path dir) throws Exception {
        Run run = sideBySide(dir, dir.resolve("absent.gguf").toString(), "--reps", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("absent.gguf");
    }

    /** SideBySide in a child JVM with this test's classpath and the flags the CLI passes. */
    private static Run sideBySide(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), SideBySide.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("SideBySide did not finish in 2 minutes: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
