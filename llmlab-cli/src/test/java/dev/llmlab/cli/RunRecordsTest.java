package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.TerminalCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every run writes a record; runs lists them, compare tabulates them, replay reproduces their tokens. */
class RunRecordsTest {
    private static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
    private final ObjectMapper json = new ObjectMapper();

    private static CliRun run(Path out, String... args) {
        Map<String, String> env = CliRun.sharedModelsEnv();
        env.put("LLMLAB_EXPERIMENTS_OUT", out.toString());
        return CliRun.run(env, TerminalCapabilities.plain(100), args);
    }

    private static List<Path> records(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void aRunWritesACompleteRecordAtomically(@TempDir Path out) throws IOException {
        CliRun r = run(out, "run", "1", "--max-tokens", "12", "--temperature", "0.8", "--seed", "7",
                "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Path> files = records(out);
        assertThat(files).as("one record and no temporary file left").singleElement()
                .satisfies(f -> assertThat(f.getFileName().toString()).endsWith("-basic-generation-"
                        + f.getFileName().toString().substring(f.getFileName().toString().length() - 9)));
        assertThat(r.out()).contains("Run recorded: " + files.getFirst());

        JsonNode record = json.readTree(files.getFirst().toFile());
        assertThat(record.get("experiment_name").asText()).isEqualTo("basic-generation");
        assertThat(record.get("experiment_number").asInt()).isEqualTo(1);
        assertThat(record.get("llmlab_version").asText()).isNotBlank();
        assertThat(record.get("seed").asLong()).isEqualTo(7);
        assertThat(record.get("backend").asText()).isEqualTo("llmlab-java");
        assertThat(record.at("/models/0/ref").asText()).isEqualTo("ggml-org/tiny-llamas/stories260K.gguf");
        assertThat(record.at("/models/0/sha256").asText()).isEqualTo(STORIES_SHA256);
        assertThat(record.at("/models/0/size_bytes").asLong()).isPositive();
        assertThat(record.at("/hardware/cores").asInt()).isPositive();
        assertThat(record.at("/parameters/sampling/temperature").asDouble()).isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(record.at("/parameters/max_tokens").asInt()).isEqualTo(12);
        assertThat(record.at("/parameters/threads").asInt()).isEqualTo(2);
        JsonNode generation = record.at("/outputs/generations/0");
        assertThat(generation.get("token_ids")).hasSize(12);
        assertThat(generation.get("prompt").asText()).isEqualTo("Once upon a time");
        assertThat(generation.at("/timings/generated_tokens").asInt()).isEqualTo(12);
        assertThat(record.get("total_seconds").asDouble()).isPositive();
    }

    @Test
    void runsListsRecordsAndCompareTabulatesThem(@TempDir Path out) throws IOException {
        assertThat(run(out, "run", "1", "--max-tokens", "6", "--temperature", "0").exitCode()).isZero();
        assertThat(run(out, "run", "1", "--max-tokens", "9", "--temperature", "0.7", "--seed", "3").exitCode())
                .isZero();
        JsonNode listed = json.readTree(run(out, "runs", "--json").out());
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("experiment").asText()).isEqualTo("basic-generation");
        List<String> ids = List.of(listed.get(0).get("id").asText(), listed.get(1).get("id").asText());
        assertThat(records(out)).extracting(p -> p.getFileName().toString().replace(".json", ""))
                .containsExactlyInAnyOrderElementsOf(ids);

        CliRun runs = run(out, "runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains(ids.get(0), ids.get(1), "1 basic-generation",
                "ggml-org/tiny-llamas/stories260K.gguf");
        assertThat(runs.out().indexOf(ids.get(0))).as("oldest first").isLessThan(runs.out().indexOf(ids.get(1)));

        CliRun compare = run(out, "compare", ids.get(0), ids.get(1));
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out()).contains(ids.get(0), ids.get(1), "max tokens", "seed 3", "generated tokens",
                "270cba1bd510");
        JsonNode table = json.readTree(run(out, "compare", "--json", ids.get(0), ids.get(1)).out());
        assertThat(table.get("runs")).hasSize(2);
        JsonNode tokensRow = null;
        for (JsonNode row : table.get("rows")) {
            if (row.get("field").asText().equals("generated tokens")) {
                tokensRow = row;
            }
        }
        assertThat(tokensRow).isNotNull();
        assertThat(tokensRow.get("values").get(0).asText()).isEqualTo("6");
        assertThat(tokensRow.get("values").get(1).asText()).isEqualTo("9");

        CliRun unknown = run(out, "compare", "no-such-run");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no run 'no-such-run'").contains("llmlab runs");
    }

    @Test
    void runsAndCompareTakeTheRecordsDirectoryAsRecordsLikeReport(@TempDir Path out, @TempDir Path elsewhere)
            throws IOException {
        assertThat(run(out, "run", "1", "--max-tokens", "4", "--temperature", "0").exitCode()).isZero();
        String id = records(out).getFirst().getFileName().toString().replace(".json", "");
        CliRun runs = run(elsewhere, "runs", "--records", out.toString());
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains(id);
        CliRun compare = run(elsewhere, "compare", "--records", out.toString(), id);
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out()).contains(id, "1 basic-generation");
        CliRun missing = run(elsewhere, "report", id);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no run '" + id + "'", "--records DIR");
    }

    @Test
    void replayingARecordReproducesItsTokensAndCatchesADifference(@TempDir Path out) throws IOException {
        assertThat(run(out, "run", "1", "--max-tokens", "24", "--temperature", "1.0", "--top-k", "40",
                "--seed", "1234").exitCode()).isZero();
        Path original = records(out).getFirst();

        CliRun replay = run(out, "run", "--replay", original.toString());
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("reproduced token for token");
        assertThat(records(out)).hasSize(2);

        // a record whose tokens were not what this seed gives: the replay says where they differ
        ObjectNode tampered = (ObjectNode) json.readTree(original.toFile());
        ArrayNode ids = (ArrayNode) tampered.at("/outputs/generations/0/token_ids");
        ids.set(5, ids.get(5).asInt() == 1 ? 2 : 1);
        tampered.put("id", "tampered");
        Path tamperedFile = out.resolve("tampered.json");
        json.writeValue(tamperedFile.toFile(), tampered);
        CliRun mismatch = run(out, "run", "--replay", "tampered");
        assertThat(mismatch.exitCode()).isEqualTo(1);
        assertThat(mismatch.err()).contains("differs").contains("tokens differ from index 5");
    }
}
