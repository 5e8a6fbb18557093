package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llmlab convert}, then {@code llmlab generate} on the converted file and on the checkpoint directory, against
 * the fixture's reference continuation.
 */
class ConvertCommandTest {

    @Test
    void convertedGpt2GeneratesTheReferenceContinuation(@TempDir Path dir) throws Exception {
        Path checkpoint = Fixtures.shared().resolve("fixtures/hf/tiny-gpt2");
        Path gguf = dir.resolve("tiny-gpt2.gguf");
        CliRun convert = CliRun.plain("convert", checkpoint.toString(), gguf.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(convert.out()).startsWith("wrote " + gguf).contains("gpt2").contains("as stored");

        JsonNode first = new ObjectMapper().readTree(checkpoint.resolve("expected.json").toFile()).get("cases").get(0);
        int[] greedy = new ObjectMapper().convertValue(first.get("greedy_next_16"), int[].class);
        String expected;
        try (LocalModel model = LocalModel.load(gguf, LoadOptions.defaults().withThreads(2))) {
            expected = model.tokenizer().decode(greedy);
        }
        CliRun generate = CliRun.plain("generate", "--model", gguf.toString(), "--prompt",
                first.get("prompt").asText(), "--temperature", "0", "--max-tokens", "16");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).isEqualTo(expected);

        // the checkpoint directory itself, tokenizer.json included
        CliRun direct = CliRun.plain("generate", "--model", checkpoint.toString(), "-p",
                first.get("prompt").asText(), "--temperature", "0", "--max-tokens", "16");
        assertThat(direct.exitCode()).as(direct.err()).isZero();
        assertThat(direct.out()).isEqualTo(expected);
        assertThat(direct.err()).contains("Loaded tiny-gpt2 · gpt2").contains("F32 as stored (auto: 3.3M parameters");
    }

    @Test
    void quantizedConversionAndUsageErrors(@TempDir Path dir) {
        Path checkpoint = Fixtures.shared().resolve("fixtures/hf/tiny-llama");
        CliRun q8 = CliRun.plain("convert", checkpoint.toString(), dir.resolve("q8.gguf").toString(), "--type", "q8_0");
        assertThat(q8.exitCode()).as(q8.err()).isZero();
        assertThat(q8.out()).contains("llama").contains("q8_0");
        CliRun badType = CliRun.plain("convert", checkpoint.toString(), dir.resolve("x.gguf").toString(), "--type", "q5_k");
        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.err()).contains("q5_k").contains("q8_0");
        CliRun notADirectory = CliRun.plain("convert", dir.resolve("missing").toString(), dir.resolve("x.gguf").toString());
        assertThat(notADirectory.exitCode()).isEqualTo(1);
        assertThat(notADirectory.err()).contains("is not a directory");
        assertThat(dir.resolve("x.gguf")).doesNotExist();
        CliRun badDtype = CliRun.plain("generate", "--model", checkpoint.toString(), "--dtype", "int3", "-p", "x");
        assertThat(badDtype.exitCode()).isEqualTo(2);
        assertThat(badDtype.err()).contains("int3");
    }
}
