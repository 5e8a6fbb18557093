package dev.llmlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.experiment.TableText;
import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.experiment.record.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code llmlab compare RUN RUN...}: recorded runs side by side, one column per run: what was run (experiment,
 * model and hash, parameters, machine) and what came out (every metric, token counts and speed).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Tabulate recorded runs side by side (parameters, model, metrics, speed).")
final class CompareCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids (or unique prefixes) from `llmlab runs`, "
            + "or record files.")
    List<String> runs;

    @Option(names = {"--out", "--records"}, paramLabel = "DIR", description = "The run records' directory (default: "
            + "$LLMLAB_EXPERIMENTS_OUT, else ./experiments_out).")
    Path out;

    @Option(names = "--json", description = "A JSON object: {runs: [ids], rows: [{field, values: [...]}]}.")
    boolean json;

    CompareCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        RunStore store = new RunStore(out != null ? out : context.env().experimentsOut());
        List<RunRecord> records = runs.stream().map(store::find).toList();
        Map<String, List<String>> rows = rows(records);
        if (json) {
            ObjectNode root = RunStore.json().createObjectNode();
            root.set("runs", RunStore.json().valueToTree(records.stream().map(RunRecord::id).toList()));
            ArrayNode array = root.putArray("rows");
            rows.forEach((field, values) -> array.addObject().put("field", field)
                    .set("values", RunStore.json().valueToTree(values)));
            context.out().println(root.toString());
        } else {
            List<String> header = new ArrayList<>();
            header.add("");
            records.forEach(r -> header.add(r.id()));
            Table table = new Table(header);
            rows.forEach((field, values) -> {
                List<String> row = new ArrayList<>();
                row.add(field);
                row.addAll(values);
                table.add(row);
            });
            table.render(new Ansi(context.stdout().ansi())).forEach(context.out()::println);
        }
        context.out().flush();
        return 0;
    }

    /** Field name -> one value per run, in a stable order; metrics are the union over the runs. */
    static Map<String, List<String>> rows(List<RunRecord> records) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        add(rows, records, "experiment", r -> r.experimentNumber() + " " + r.experimentName());
        add(rows, records, "model", RunRecord::modelSummary);
        add(rows, records, "model sha256", r -> r.models().isEmpty() ? "-"
                : r.models().getFirst().sha256().substring(0, 12));
        add(rows, records, "started", RunRecord::createdAt);
        add(rows, records, "prompt", r -> r.parameters().prompt() == null ? "(default)"
                : TableText.shorten(r.parameters().prompt(), 40));
        add(rows, records, "sampling", r -> {
            var s = r.parameters().sampling();
            return "T " + s.temperature() + ", top-k " + s.topK() + ", top-p " + s.topP() + ", seed " + s.seed();
        });
        add(rows, records, "max tokens", r -> String.valueOf(r.parameters().maxTokens()));
        add(rows, records, "options", r -> r.parameters().options() == null || r.parameters().options().isEmpty()
                ? "-" : r.parameters().options().toString());
        add(rows, records, "threads / context", r -> r.parameters().threads() + " / "
                + (r.parameters().contextLength() == 0 ? "model's" : r.parameters().contextLength()));
        add(rows, records, "machine", r -> r.hardware().oneLine());
        add(rows, records, "llmlab", RunRecord::llmlabVersion);
        Set<String> metrics = new LinkedHashSet<>();
        records.forEach(r -> metrics.addAll(r.outputs().metrics().keySet()));
        for (String metric : metrics) {
            add(rows, records, metric, r -> {
                Double v = r.outputs().metrics().get(metric);
                return v == null ? "-" : RecordFormat.number(v);
            });
        }
        add(rows, records, "generations", r -> String.valueOf(r.outputs().generations().size()));
        add(rows, records, "generated tokens", r -> String.valueOf(r.outputs().generations().stream()
                .mapToInt(g -> g.tokenIds().size()).sum()));
        add(rows, records, "mean decode t/s", r -> r.outputs().generations().isEmpty() ? "-"
                : RecordFormat.number(r.outputs().generations().stream()
                .mapToDouble(g -> g.timings().tokensPerSecond()).average().orElse(0)));
        add(rows, records, "wall time s", r -> RecordFormat.number(r.totalSeconds()));
        return rows;
    }

    private static void add(Map<String, List<String>> rows, List<RunRecord> records, String field,
                            Function<RunRecord, String> value) {
        rows.put(field, records.stream().map(value).toList());
    }
}
