package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class QuantizeCommandTest {
    @TempDir
    Path dir;

    private static String tinyLlama() {
        return Fixtures.sharedFile("fixtures/quant/tiny-llama-256-F32.gguf").toString();
    }

    private static String stories() {
        return Fixtures.sharedFile("models/stories260K.gguf").toString();
    }

    @Test
    void writesTheQuantizedModelWithPlainProgressAndASummary() {
        Path out = dir.resolve("q4km.gguf");
        CliRun run = CliRun.plain("quantize", tinyLlama(), out.toString(), "--type", "q4_k_m", "--threads", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Q4_K_M [ 1/21] token_embd.weight F32 -> Q4_K")
                .contains("Q4_K_M [21/21] output.weight F32 -> Q6_K")
                .contains("blk.0.attn_norm.weight F32 (kept)");
        assertThat(run.out()).startsWith("✔ wrote " + out + " (Q4_K_M) from tiny-llama-256-F32.gguf")
                .contains("bits/weight  32.00 -> ").contains("MB/s").contains("Q4_K x13").contains("Q6_K x3")
                .doesNotContain("\u001b[");
        try (GgufFile written = GgufFile.open(out, LoadMode.READ)) {
            assertThat(written.tensor("blk.1.attn_v.weight").orElseThrow().type()).isEqualTo(GgmlType.Q6_K);
            assertThat(written.tensor("blk.0.attn_v.weight").orElseThrow().type()).isEqualTo(GgmlType.Q4_K);
            assertThat(written.metadata().integer("general.file_type")).isEqualTo(15);
        }
        assertThat(leftovers()).containsExactly(out.getFileName().toString());
    }

    @Test
    void aFailureLeavesNoOutputFile() throws IOException {
        Path corrupt = dir.resolve("corrupt.gguf");
        byte[] bytes = Files.readAllBytes(Path.of(tinyLlama()));
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // tensor data cut off
        Path out = dir.resolve("out.gguf");
        CliRun run = CliRun.plain("quantize", corrupt.toString(), out.toString(), "--type", "Q8_0");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ");
        assertThat(out).doesNotExist();
        assertThat(leftovers()).containsExactly("corrupt.gguf");

        CliRun missing = CliRun.plain("quantize", dir.resolve("nope.gguf").toString(), out.toString(), "--type", "Q8_0");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
        assertThat(out).doesNotExist();
    }

    @Test
    void usageErrors() {
        String out = dir.resolve("o.gguf").toString();
        assertThat(CliRun.plain("quantize", stories(), out).exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("quantize", stories(), out, "--types", "Q8_0,Q4_0").exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("quantize", stories(), "--type", "Q8_0").exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("quantize", stories(), "--report").exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("quantize", stories(), out, "--type", "Q8_0", "--text", "x.txt").exitCode())
                .isEqualTo(2);
        CliRun unknown = CliRun.plain("quantize", stories(), out, "--type", "Q7_K");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown quantization type 'Q7_K'").contains("Q4_K_M");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void reportInMemoryAsJson() throws IOException {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "Once upon a time, there was a big dog. The dog liked to run in the sun with a cat.");
        CliRun run = CliRun.plain("quantize", stories(), "--report", "--types", "F16,Q8_0,Q4_0", "--file",
                text.toString(), "--json", "--threads", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        JsonNode report = result.get("report");
        assertThat(report).hasSize(3);
        assertThat(report.get(0).get("type").asText()).isEqualTo("F16");
        int positions = report.get(0).get("positions").asInt();
        assertThat(positions).isBetween(15, 40);
        double f16 = report.get(0).get("mean_kl_divergence").asDouble();
        double q8 = report.get(1).get("mean_kl_divergence").asDouble();
        double q4 = report.get(2).get("mean_kl_divergence").asDouble();
        assertThat(f16).isLessThan(q8);
        assertThat(q8).isLessThan(q4);
        assertThat(report.get(2).get("bits_per_weight").asDouble()).isLessThan(report.get(1).get("bits_per_weight").asDouble());
        assertThat(result.get("quantizations").get(2).get("fallbacks")).hasSize(5); // the 172-wide ffn_down rows
        assertThat(leftovers()).containsExactly("text.txt");
    }

    @Test
    void reportOnTheWrittenFileAsATable() {
        Path out = dir.resolve("q8.gguf");
        CliRun run = CliRun.plain("quantize", stories(), out.toString(), "--type", "Q8_0", "--report", "--tokens", "32");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("type  size").contains("mean KL").contains("Q8_0").contains("(32 positions");
        assertThat(out).isRegularFile();
    }

    private Stream<String> leftoverStream() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString());
    }

    private java.util.List<String> leftovers() {
        try (Stream<String> s = leftoverStream()) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
