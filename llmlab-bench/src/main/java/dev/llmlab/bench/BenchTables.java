package dev.llmlab.bench;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmarks and prints them in the units that matter: GB/s of weights for matVec and memory,
 * GFLOP/s for matMul, microseconds per parallelFor. Takes the usual JMH options, e.g.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp llmlab-bench/target/benchmarks.jar dev.llmlab.bench.BenchTables \
 *     -f 1 -wi 2 -i 5 -w 1s -r 1s MatVec -p threads=2
 * </pre>
 * Times are the median over measurement iterations (the machine is shared and noisy).
 */
public final class BenchTables {

    private BenchTables() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        if (cli.getIncludes().isEmpty()) {
            options.include("MemoryBandwidth|MatVec|MatMul|ComputePool");
        }
        Collection<RunResult> results = new Runner(options.parent(cli).build()).run();

        System.out.println();
        System.out.println("kernels: " + KernelRegistry.best().description() + ", "
                + Runtime.getRuntime().availableProcessors() + " processors");
        List<String> lines = new ArrayList<>();
        for (RunResult r : results) {
            lines.add(line(r));
        }
        lines.stream().sorted().forEach(System.out::println);
    }

    private static String line(RunResult r) {
        var params = r.getParams();
        String bench = params.getBenchmark().replaceAll(".*\\.(\\w+)\\.(\\w+)$", "$1");
        double median = median(r);
        String unit = r.getPrimaryResult().getScoreUnit();
        double seconds = median * (unit.startsWith("us") ? 1e-6 : 1e-3);
        String threads = params.getParam("threads");
        return switch (bench) {
            case "MatVecBenchmark" -> {
                GgmlType type = GgmlType.valueOf(params.getParam("type"));
                long bytes = type.bytesFor(elements(params.getParam("shape")));
                String memory = "0".equals(params.getParam("workingSetMiB")) ? "cached" : "DRAM";
                yield String.format(Locale.ROOT, "matVec %-6s %-6s %-5s %-10s threads=%s  %8.3f ms  %6.1f GB/s",
                        params.getParam("kernels"), memory, type, params.getParam("shape"), threads, median,
                        bytes / seconds / 1e9);
            }
            case "MatMulBenchmark" -> {
                GgmlType type = GgmlType.valueOf(params.getParam("type"));
                int batch = Integer.parseInt(params.getParam("batch"));
                double flops = 2.0 * elements(params.getParam("shape")) * batch;
                yield String.format(Locale.ROOT, "matMul %-7s %-10s batch=%d threads=%s  %8.3f ms  %6.1f GFLOP/s",
                        type, params.getParam("shape"), batch, threads, median, flops / seconds / 1e9);
            }
            case "MemoryBandwidthBenchmark" -> String.format(Locale.ROOT,
                    "memory read 1 GiB threads=%s  %8.3f ms  %6.1f GB/s",
                    threads, median, MemoryBandwidthBenchmark.BYTES / seconds / 1e9);
            case "ComputePoolBenchmark" -> {
                int gap = Integer.parseInt(params.getParam("gapMicros"));
                yield String.format(Locale.ROOT, "parallelFor (empty body) after %2d us gap, threads=%s  %.2f us per call",
                        gap, threads, seconds * 1e6 - gap);
            }
            default -> bench + " " + params + ": " + median + " " + unit;
        };
    }

    private static double median(RunResult r) {
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                scores.add(i.getPrimaryResult().getScore());
            }
        }
        scores.sort(null);
        int n = scores.size();
        return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
    }

    private static long elements(String shape) {
        String[] rc = shape.split("x");
        return Long.parseLong(rc[0]) * Long.parseLong(rc[1]);
    }
}
