package dev.llmlab.cli;

import dev.llmlab.cli.report.HtmlReport;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.cli.report.ReportChart;
import dev.llmlab.cli.report.ReportCharts;
import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.experiment.record.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code llmlab report RUN...}: an HTML page with charts of recorded runs, and the charts as PNG files. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a self-contained HTML report with charts of recorded runs, and the charts as PNGs.",
                "Charts: throughput by prompt length and threads, perplexity vs size, timing breakdown."})
final class ReportCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "0..*", paramLabel = "RUN", description = "Run ids (or unique prefixes) from `llmlab runs`, "
            + "or record files (default: every recorded run).")
    List<String> runs = List.of();

    @Option(names = "--out", paramLabel = "FILE.html", description = "The page to write (default: report.html in "
            + "the records' directory); the PNGs go to FILE-charts/ beside it.")
    Path out;

    @Option(names = "--records", paramLabel = "DIR", description = "The run records' directory (default: "
            + "$LLMLAB_EXPERIMENTS_OUT, else ./experiments_out).")
    Path recordsDir;

    ReportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        RunStore store = new RunStore(recordsDir != null ? recordsDir : context.env().experimentsOut());
        List<RunRecord> records = runs.isEmpty() ? store.list() : runs.stream().map(store::find).toList();
        if (records.isEmpty()) {
            throw new InvalidRequestException("no runs recorded in "
                    + store.directory().toAbsolutePath() + "; run an experiment first (`llmlab run 5`) or pass "
                    + "--records DIR");
        }
        List<ReportChart> charts = ReportCharts.of(records);
        Path page = out != null ? out : store.directory().resolve("report.html");
        HtmlReport.Written written = HtmlReport.write(page, records, charts, VersionProvider.version(),
                Instant.now().toString());
        context.out().println("Report: " + written.page().toAbsolutePath() + " (" + records.size() + " run(s), "
                + charts.size() + " chart(s))");
        written.pngs().forEach(p -> context.out().println("  " + p));
        context.out().flush();
        return 0;
    }
}
