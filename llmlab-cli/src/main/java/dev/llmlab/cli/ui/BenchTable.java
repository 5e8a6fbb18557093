package dev.llmlab.cli.ui;

import dev.llmlab.bench.BenchResult;
import dev.llmlab.bench.BenchTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A bench result as llama-bench prints it: one row per test, rates as mean ± sd. */
public final class BenchTable {
    private BenchTable() {
    }

    public static List<String> render(BenchResult r, Ansi ansi) {
        Table table = new Table(List.of("model", "size", "params", "types", "mode", "threads", "kernels", "test",
                "t/s"));
        for (BenchTest t : r.tests()) {
            table.add(List.of(r.model(), HumanUnits.bytes(r.fileSizeBytes()), HumanUnits.count(r.parameterCount()),
                    r.tensorTypes(), r.loadMode().toLowerCase(Locale.ROOT), String.valueOf(r.threads()), r.kernels(),
                    t.name(), String.format(Locale.ROOT, "%.2f ± %.2f", t.meanTokensPerSecond(),
                            t.stddevTokensPerSecond())));
        }
        List<String> lines = new ArrayList<>(table.render(ansi));
        lines.add("");
        lines.add(ansi.style(r.repetitions() + " runs per test after " + r.warmupRuns() + " warm-up; context "
                + r.contextLength() + "; file " + r.file(), Style.DIM));
        return lines;
    }
}
