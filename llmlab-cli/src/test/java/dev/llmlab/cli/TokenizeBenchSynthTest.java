package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizeBenchSynthTest {
    private static final String MODEL = Fixtures.sharedFile("models/stories260K.gguf").toString();

    @Test
    void tokenizeGivesTheFixtureIds() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json")
                .toFile());
        for (JsonNode c : cases) {
            CliRun r = CliRun.plain("tokenize", "--model", MODEL, "--no-bos", "--json", "--text",
                    c.get("prompt").asText());
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("ids")).isEqualTo(c.get("prompt_ids"));
            assertThat(json.get("pieces")).hasSize(c.get("prompt_ids").size());
        }
    }

    @Test
    void tokenizePlainAddsBosAsTheModelSays() {
        CliRun r = CliRun.plain("tokenize", "--text", "Once upon a time");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("1 403 407 261 378\n");
    }

    @Test
    void tokenizeWorksOnAVocabularyOnlyFileAndFromAFile(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("in.txt");
        Files.writeString(text, "Hello world");
        String vocab = Fixtures.sharedFile("fixtures/vocab/ggml-vocab-llama-spm.gguf").toString();
        CliRun r = CliRun.plain("tokenize", "--model", vocab, "--file", text.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("ids").get(0).asInt()).isEqualTo(1);
        assertThat(json.get("pieces").toString()).contains("▁Hello").contains("▁world");
    }

    @Test
    void tokenizeOnAHuggingFaceDirectoryUsesItsTokenizerJson() throws Exception {
        // the fixture's input_ids were made by the transformers tokenizer that exported it
        String dir = Fixtures.sharedFile("fixtures/hf/tiny-gpt2/tokenizer.json").getParent().toString();
        CliRun r = CliRun.plain("tokenize", "--model", dir, "--text", "The quick brown fox jumps over the lazy dog.");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("464 2068 7586 21831 18045 625 262 16931 3290 13\n");
    }

    @Test
    void tokenizeMissingFileIsOneClearLine() {
        CliRun r = CliRun.plain("tokenize", "--file", "/nowhere/in.txt");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: no such file: /nowhere/in.txt");
    }

    @Test
    void synthThenBenchOnTheSyntheticModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny-q4.gguf");
        CliRun synth = CliRun.plain("synth", model.toString(), "--like", "tiny", "--type", "q4_0", "--seed", "5");
        assertThat(synth.exitCode()).as(synth.err()).isZero();
        assertThat(synth.out()).startsWith("wrote " + model).contains("Q4_0");
        assertThat(model).isRegularFile();

        CliRun bench = CliRun.plain("bench", "--model", model.toString(), "-p", "8", "-n", "4", "-r", "1",
                "--threads", "2");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("model").contains("t/s").contains("pp8").contains("tg4")
                .contains(" ± ").contains("read");
        assertThat(bench.err()).contains("Loaded").contains("pp8 warm-up 1").contains("tg4 run 1");

        CliRun json = CliRun.plain("bench", "--model", model.toString(), "-p", "8", "-n", "4", "-r", "2",
                "--json", "--mmap");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(json.out());
        assertThat(result.get("load_mode").asText()).isEqualTo("MMAP");
        assertThat(result.get("tests").get(0).get("runs_tokens_per_second")).hasSize(2);
        assertThat(result.get("tests").get(1).get("name").asText()).isEqualTo("tg4");
    }

    @Test
    void synthRefusesUnknownTypesAndShapes(@TempDir Path dir) {
        CliRun badType = CliRun.plain("synth", dir.resolve("x.gguf").toString(), "--like", "tiny", "--type", "IQ2_XXS");
        assertThat(badType.exitCode()).isEqualTo(1);
        assertThat(badType.err()).startsWith("error: cannot write weights of type 'IQ2_XXS'; valid: F32, F16, BF16, Q8_0, Q4_0")
                .contains("Q4_K").contains("Q6_K").contains("Q4_K_M");
        assertThat(dir.resolve("x.gguf")).doesNotExist();
        CliRun badShape = CliRun.plain("synth", dir.resolve("x.gguf").toString(), "--like", "gpt5");
        assertThat(badShape.exitCode()).isEqualTo(1);
        assertThat(badShape.err()).contains("unknown model shape 'gpt5'").contains("tinyllama-1.1b");
        assertThat(CliRun.plain("synth", dir.resolve("x.gguf").toString()).exitCode()).isEqualTo(2);
    }
}
