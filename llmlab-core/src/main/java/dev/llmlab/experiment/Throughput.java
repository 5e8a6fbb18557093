package dev.llmlab.experiment;

import dev.llmlab.bench.BenchConfig;
import dev.llmlab.bench.BenchListener;
import dev.llmlab.bench.BenchResult;
import dev.llmlab.bench.BenchRunner;
import dev.llmlab.bench.BenchTest;
import dev.llmlab.model.LocalModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiment 5: llama-bench across prompt lengths and thread counts: for each thread count the model is loaded
 * with that many threads, then prompt processing ({@code ppN}, one batch of N tokens) is measured for every
 * length and generation ({@code tgN}) once, each as mean ± sd over repetitions after a warm-up run
 * ({@link BenchRunner}).
 */
public final class Throughput implements Experiment {

    /** One test at one thread count. */
    public record Row(int threads, String test, String kind, int tokens, double meanTokensPerSecond,
                      double stddevTokensPerSecond, List<Double> runsTokensPerSecond) {
    }

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String description() {
        return "Prompt and generation tokens/s across prompt lengths and thread counts (llama-bench style)";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(
                new ExperimentOption("prompt-lengths", "32,128,512", "prompt-processing batch sizes (pp)"),
                new ExperimentOption("gen-tokens", "64", "tokens per generation run (tg); 0 skips it"),
                new ExperimentOption("threads", "", "thread counts (default: 1 and all processors)"),
                new ExperimentOption("repetitions", "3", "measured runs per test"),
                new ExperimentOption("warmup", "1", "unmeasured runs per test first"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        List<Integer> lengths = p.intList("prompt-lengths", "32,128,512");
        int genTokens = p.intOption("gen-tokens", 64);
        int repetitions = p.intOption("repetitions", 3);
        int warmup = p.intOption("warmup", 1);
        int all = context.models().loadOptions().threads();
        List<Integer> threadCounts = p.intList("threads", all > 1 ? "1," + all : "1");
        int contextNeeded = Math.max(Collections.max(lengths), genTokens + 1);
        List<Row> rows = new ArrayList<>();
        int total = threadCounts.size() * (lengths.size() + (genTokens > 0 ? 1 : 0)) * (warmup + repetitions);
        int[] done = {0};
        for (int threads : threadCounts) {
            try (LocalModel model = context.models().load(context.models().refs().getFirst(),
                    o -> o.withThreads(threads).withContextLength(contextNeeded))) {
                BenchListener progress = new BenchListener() {
                    @Override
                    public void runFinished(String test, int run, boolean isWarmup, double tokensPerSecond) {
                        context.listener().progress("runs", ++done[0], total, threads + (threads == 1 ? " thread · " : " threads · ") + test + " "
                                + TableText.fixed(tokensPerSecond, 1) + " t/s");
                    }
                };
                BenchRunner runner = new BenchRunner();
                for (int length : lengths) {
                    add(rows, threads, runner.run(model, new BenchConfig(length, 0, repetitions, warmup,
                            BenchConfig.DEFAULT_SEED), progress));
                }
                if (genTokens > 0) {
                    add(rows, threads, runner.run(model, new BenchConfig(0, genTokens, repetitions, warmup,
                            BenchConfig.DEFAULT_SEED), progress));
                }
            }
        }
        List<List<String>> table = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Row r : rows) {
            table.add(List.of(String.valueOf(r.threads()), r.test(), TableText.fixed(r.meanTokensPerSecond(), 2)
                    + " ± " + TableText.fixed(r.stddevTokensPerSecond(), 2)));
            metrics.put(r.test() + "@" + r.threads() + "t", r.meanTokensPerSecond());
        }
        context.listener().table("Throughput (tokens/s, mean ± sd of " + repetitions + ")",
                List.of("threads", "test", "t/s"), table);
        return ExperimentResult.of(this, List.of(), metrics, rows);
    }

    private static void add(List<Row> rows, int threads, BenchResult result) {
        for (BenchTest t : result.tests()) {
            rows.add(new Row(threads, t.name(), t.kind(), t.tokens(), t.meanTokensPerSecond(),
                    t.stddevTokensPerSecond(), t.runsTokensPerSecond()));
        }
    }
}
