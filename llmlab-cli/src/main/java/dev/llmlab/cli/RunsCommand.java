package dev.llmlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.experiment.record.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code llmlab runs}: the recorded runs, oldest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List recorded experiment runs.")
final class RunsCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = {"--out", "--records"}, paramLabel = "DIR", description = "The run records' directory (default: "
            + "$LLMLAB_EXPERIMENTS_OUT, else ./experiments_out).")
    Path out;

    @Option(names = "--json", description = "A JSON array of {id, experiment, model, created_at, metrics, file}.")
    boolean json;

    RunsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        RunStore store = new RunStore(out != null ? out : context.env().experimentsOut());
        List<RunRecord> records = store.list();
        if (json) {
            ArrayNode array = RunStore.json().createArrayNode();
            for (RunRecord r : records) {
                array.addObject().put("id", r.id()).put("experiment", r.experimentName())
                        .put("model", r.modelSummary()).put("created_at", r.createdAt())
                        .put("seconds", r.totalSeconds())
                        .put("file", store.directory().resolve(r.id() + ".json").toString())
                        .set("metrics", RunStore.json().valueToTree(r.outputs().metrics()));
            }
            context.out().println(array.toString());
        } else if (records.isEmpty()) {
            context.out().println("No runs recorded in " + store.directory().toAbsolutePath() + " yet; `llmlab run ID` records one.");
        } else {
            Table table = new Table(List.of("Run", "Experiment", "Model", "Started (UTC)", "Time", "Results"));
            for (RunRecord r : records) {
                table.add(List.of(r.id(), r.experimentNumber() + " " + r.experimentName(), r.modelSummary(),
                        r.createdAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"),
                        RecordFormat.number(r.totalSeconds()) + " s", headline(r)));
            }
            table.render(new Ansi(context.stdout().ansi())).forEach(context.out()::println);
            context.out().println();
            context.out().println("Compare runs with: llmlab compare RUN RUN...; chart them with: llmlab report RUN...");
        }
        context.out().flush();
        return 0;
    }

    /** The first few metrics, else the number of generations. */
    private static String headline(RunRecord r) {
        Map<String, Double> metrics = r.outputs().metrics();
        if (metrics.isEmpty()) {
            return r.outputs().generations().size() + " generation(s)";
        }
        return metrics.entrySet().stream().limit(3)
                .map(e -> e.getKey() + " " + RecordFormat.number(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
