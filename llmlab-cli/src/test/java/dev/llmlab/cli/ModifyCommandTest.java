package dev.llmlab.cli;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ModifyCommandTest {
    private static final String PROMPT = "Once upon a time";
    private static final int MAX_TOKENS = 40;

    @TempDir
    Path dir;

    private static String stories() {
        return Fixtures.sharedFile("models/stories260K.gguf").toString();
    }

    /** The done-when: a pruned stories260K loads in llmlab and in llama.cpp and both write the same text. */
    @Test
    void droppingALayerGivesAModelLlamaCppRunsToTheSameGreedyText() {
        Path out = dir.resolve("out.gguf");
        CliRun run = CliRun.plain("modify", "--drop-layers", "4", stories(), out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("✔ wrote " + out + " from stories260K.gguf")
                .contains("drop layers [4]")
                .contains("tensors   48 -> 39: 39 unchanged (shared), 0 changed, 0 renamed, 9 removed, 0 added")
                .contains("metadata  ~ llama.block_count: 5 -> 4");
        try (GgufFile written = GgufFile.open(out, LoadMode.READ)) {
            assertThat(written.metadata().integer("llama.block_count")).isEqualTo(4);
            assertThat(written.tensor("blk.4.attn_q.weight")).isEmpty();
        }
        String ours;
        try (LocalModel model = LocalModel.load(out, LoadOptions.defaults().withThreads(1));
             LocalGenerator generator = new LocalGenerator(model)) {
            ours = generator.generate(GenerationRequest.of(PROMPT, SamplingParams.greedy(), MAX_TOKENS)).text();
        }
        String original;
        try (LocalModel model = LocalModel.load(Path.of(stories()), LoadOptions.defaults().withThreads(1));
             LocalGenerator generator = new LocalGenerator(model)) {
            original = generator.generate(GenerationRequest.of(PROMPT, SamplingParams.greedy(), MAX_TOKENS)).text();
        }
        try (LlamaModel oracle = new LlamaModel(new ModelParameters().setModel(out.toString()).setCtxSize(256)
                .setThreads(1).disableLog())) {
            String expected = oracle.complete(new InferenceParameters(PROMPT).setNPredict(MAX_TOKENS)
                    .setCachePrompt(false).setTemperature(0f).setTopK(1).setSeed(1));
            assertThat(expected).isNotBlank();
            assertThat(ours).isEqualTo(expected);
        }
        assertThat(ours).as("a pruned model writes another text").isNotEqualTo(original);
    }

    @Test
    void quantizesOnlyTheTensorsThePatternNames() {
        Path out = dir.resolve("q8.gguf");
        CliRun run = CliRun.plain("modify", stories(), out.toString(), "--type", "Q8_0", "--tensors",
                "blk\\.\\d+\\.attn_[qkvo].*", "--threads", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("20 changed").contains("changed   blk.0.attn_q.weight F32[64, 64] -> Q8_0[64, 64]");
        try (GgufFile written = GgufFile.open(out, LoadMode.READ)) {
            assertThat(written.tensor("blk.3.attn_output.weight").orElseThrow().type()).isEqualTo(GgmlType.Q8_0);
            assertThat(written.tensor("blk.3.ffn_up.weight").orElseThrow().type()).isEqualTo(GgmlType.F32);
        }
    }

    @Test
    void setsContextLengthAndRopeScaling() {
        Path out = dir.resolve("long.gguf");
        CliRun run = CliRun.plain("modify", stories(), out.toString(), "--context", "8192", "--rope-scaling",
                "linear:4");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("metadata  ~ llama.context_length: 2048 -> 8192")
                .contains("metadata  + llama.rope.scaling.type = \"linear\"")
                .contains("metadata  + llama.rope.scaling.factor = 4.0");
        CliRun yarn = CliRun.plain("modify", stories(), out.toString(), "--rope-scaling", "yarn:4");
        assertThat(yarn.exitCode()).isEqualTo(1);
        assertThat(yarn.err()).contains("does not compute YaRN");
    }

    /** Defaults stored by modify are used by generate when no flag is given; a flag still wins. */
    @Test
    void generationDefaultsTravelWithTheModel() {
        Path out = dir.resolve("defaults.gguf");
        CliRun run = CliRun.plain("modify", stories(), out.toString(), "--temperature", "0", "--max-tokens", "9",
                "--stop", "Lily");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("metadata  + llmlab.generation.temperature = 0.0")
                .contains("metadata  + llmlab.generation.max_tokens = 9")
                .doesNotContain("llmlab.generation.top_k");
        String expected = greedy("Tom had", 9);
        String expectedShort = greedy("Tom had", 3);
        CliRun byDefault = CliRun.plain("generate", "--model", out.toString(), "--prompt", "Tom had", "--json");
        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(lastJson(byDefault.out()).get("text").asText()).isEqualTo(expected);
        CliRun flags = CliRun.plain("generate", "--model", out.toString(), "--prompt", "Tom had", "--json",
                "--max-tokens", "3");
        assertThat(lastJson(flags.out()).get("text").asText()).isEqualTo(expectedShort);
        assertThat(expectedShort).isNotEqualTo(expected);
        CliRun hot = CliRun.plain("generate", "--model", out.toString(), "--prompt", "Tom had", "--json",
                "--temperature", "1.5", "--seed", "7");
        assertThat(lastJson(hot.out()).get("text").asText()).as("--temperature overrides the model's 0")
                .isNotEqualTo(expected);
    }

    /** The engine's greedy text, stopped before "Lily". */
    private static String greedy(String prompt, int maxTokens) {
        try (LocalModel model = LocalModel.load(Path.of(stories()), LoadOptions.defaults().withThreads(1));
             LocalGenerator generator = new LocalGenerator(model)) {
            return generator.generate(GenerationRequest.of(prompt, SamplingParams.greedy(), maxTokens)
                    .withStopStrings(java.util.List.of("Lily"))).text();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode lastJson(String out) {
        String[] lines = out.strip().split("\n");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badRequestsFailBeforeWritingAndNameTheProblem() throws IOException {
        Path out = dir.resolve("out.gguf");
        CliRun outOfRange = CliRun.plain("modify", "--drop-layers", "5", stories(), out.toString());
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.err()).contains("layer 5 is out of range: 'llama.block_count' = 5");
        CliRun notFitting = CliRun.plain("modify", stories(), out.toString(), "--type", "Q8_0", "--tensors",
                "blk\\.0\\.ffn_down\\.weight");
        assertThat(notFitting.exitCode()).isEqualTo(1);
        assertThat(notFitting.err()).contains("'blk.0.ffn_down.weight' has rows of 172");
        CliRun nothing = CliRun.plain("modify", stories(), out.toString());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to do");
        CliRun noAdapter = CliRun.plain("modify", stories(), out.toString(), "--lora", dir.resolve("none").toString());
        assertThat(noAdapter.exitCode()).isEqualTo(1);
        assertThat(noAdapter.err()).contains("is not a PEFT LoRA directory: expected adapter_config.json");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
