package dev.llmlab.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.tensor.ComputePool;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * llmlab and llama.cpp (the de.kherud:llama binding) on the same GGUF file in one process, weights read into
 * memory by both (llmlab {@code LoadMode.READ}, llama.cpp {@code --no-mmap}), runs alternating engine by engine
 * and test by test so machine load drifts hit both alike. Prints a table (median ± sd per engine and test, the
 * ratio, and for generation the GB/s of weights read and their share of the machine's read bandwidth, measured
 * in the same process as a streaming read of 1 GiB), or with {@code --json} one JSON line per engine and test.
 * Usage: {@value SideBySideOptions#USAGE}. It is what {@code llmlab bench --compare llama.cpp} runs in a child
 * JVM, so that the runtime never loads native code. Exit codes: 0 ok, 1 failure, 2 usage error. The binding's
 * close can hang, so the JVM halts once the numbers are printed.
 */
public final class SideBySide {
    private static final int MIN_CONTEXT = 1024;
    private static final String[] ENGINES = {"llmlab", "llama.cpp"};

    private record Test(String name, int tokens, boolean prompt) {
    }

    private SideBySide() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        // stdout carries only the results: the binding prints where it extracted its native library to
        // System.out, so everything else printed there goes to stderr
        PrintStream results = System.out;
        System.setOut(System.err);
        int code;
        try {
            run(SideBySideOptions.parse(args), results, System.err);
            code = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(SideBySideOptions.USAGE);
            code = 2;
        } catch (LlmlabException e) {
            System.err.println("error: " + e.getMessage());
            code = 1;
        } catch (RuntimeException | Error e) { // a bug: the trace, and still the halt below
            e.printStackTrace();
            code = 1;
        }
        results.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code); // never close the binding: its close can hang
    }

    private static void run(SideBySideOptions options, PrintStream out, PrintStream progress) {
        Path path = options.model();
        int threads = options.threads();
        List<Test> tests = new ArrayList<>();
        for (int p : options.prompts()) {
            tests.add(new Test("pp" + p, p, true));
        }
        if (options.gen() > 0) {
            tests.add(new Test("tg" + options.gen(), options.gen(), false));
        }
        String model = path.getFileName().toString();
        long bytesPerToken = weightBytesPerToken(path);
        double bandwidth = readBandwidth(threads);

        // the largest prompt or the generation (after a one-token prompt) must fit in both engines' caches
        int context = Math.max(MIN_CONTEXT, Math.max(options.gen() + 2,
                options.prompts().stream().mapToInt(Integer::intValue).max().orElse(0)));
        double[][][] rates = new double[2][tests.size()][options.reps()];
        BenchRunner runner = new BenchRunner();
        SplittableRandom random = new SplittableRandom(7);
        try (LocalModel ours = LocalModel.load(path,
                new LoadOptions(LoadMode.READ, threads, context, KernelRegistry.best()))) {
            // not closed: the JVM halts after printing (see main)
            LlamaModel theirs = new LlamaModel(new ModelParameters().setModel(path.toString())
                    .setThreads(threads).setThreadsBatch(threads).setCtxSize(context)
                    .setBatchSize(512).setUbatchSize(512).disableMmap().disableLog());
            Session session = ours.newSession();
            int vocab = session.config().vocabSize();
            String[] promptText = new String[tests.size()];
            int[] promptTokens = new int[tests.size()];
            for (int t = 0; t < tests.size(); t++) {
                if (tests.get(t).prompt()) {
                    promptText[t] = LlamaCppComparison.promptOf(path, tests.get(t).tokens() - 1); // + BOS
                    promptTokens[t] = theirs.encode(promptText[t]).length + 1;
                }
            }
            int firstPrompt = options.prompts().isEmpty() ? -1 : 0;
            for (int r = -options.warmup(); r < options.reps(); r++) { // r < 0: warm-up rounds
                for (int t = 0; t < tests.size(); t++) {
                    Test test = tests.get(t);
                    if (r < 0 && t != firstPrompt && test.prompt()) {
                        continue; // the batched path is warm after the first prompt size; saves the longest runs
                    }
                    // alternate which engine goes first, so neither always runs on a just-warmed cache
                    for (int e = 0; e < 2; e++) {
                        int engine = Math.floorMod(r + t + e, 2);
                        double rate = engine == 0
                                ? ours(runner, session, test, BenchRunner.randomTokens(random, vocab, test.tokens() + 1))
                                : theirs(theirs, test, promptText[t], promptTokens[t]);
                        progress.printf("  %s %s %s %d: %.1f t/s%n", test.name(), ENGINES[engine],
                                r < 0 ? "warm-up" : "run", (r < 0 ? r + options.warmup() : r) + 1, rate);
                        if (r >= 0) {
                            rates[engine][t][r] = rate;
                        }
                    }
                }
            }
        }
        if (options.json()) {
            printJson(out, options, model, tests, rates, bytesPerToken, bandwidth);
        } else {
            printTable(out, options, model, tests, rates, bytesPerToken, bandwidth);
        }
    }

    private static void printJson(PrintStream out, SideBySideOptions options, String model, List<Test> tests,
                                  double[][][] rates, long bytesPerToken, double bandwidth) {
        for (int t = 0; t < tests.size(); t++) {
            for (int e = 0; e < 2; e++) {
                double[] v = rates[e][t];
                String roofline = tests.get(t).prompt() ? "" : String.format(
                        ",\"weight_bytes_per_token\":%d,\"weights_gb_per_second\":%.3f,"
                                + "\"read_bandwidth_gb_per_second\":%.3f,\"bandwidth_percent\":%.1f",
                        bytesPerToken, mean(v) * bytesPerToken / 1e9, bandwidth / 1e9,
                        100 * mean(v) * bytesPerToken / bandwidth);
                out.printf("{\"engine\":\"%s\",\"model\":\"%s\",\"test\":\"%s\",\"threads\":%d,"
                                + "\"weights\":\"in memory\",\"tokens_per_second\":%.3f,\"median\":%.3f,"
                                + "\"stddev\":%.3f,\"runs\":%s%s}%n", ENGINES[e], jsonEscape(model),
                        tests.get(t).name(), options.threads(), mean(v), median(v), stddev(v), Arrays.toString(v),
                        roofline);
            }
        }
    }

    /**
     * A header line starting with {@code #}, then a markdown table whose data rows start with {@code | model |
     * test |} and carry the llmlab rate in the third column (scripts/bench-vs-llamacpp.sh relies on that).
     */
    private static void printTable(PrintStream out, SideBySideOptions options, String model, List<Test> tests,
                                   double[][][] rates, long bytesPerToken, double bandwidth) {
        out.printf("# %s: threads %d, weights in memory (llmlab READ, llama.cpp --no-mmap), %.1f MB of weights "
                        + "read per token, read bandwidth %.1f GB/s (streaming read, measured now); median ± sd of "
                        + "%d run(s) after %d warm-up round(s)%n", model, options.threads(), bytesPerToken / 1e6,
                bandwidth / 1e9, options.reps(), options.warmup());
        out.println("| model | test | llmlab t/s | llama.cpp t/s | ratio | weights read GB/s, llmlab / llama.cpp "
                + "(% of read bandwidth) |");
        out.println("|---|---|---:|---:|---:|---|");
        for (int t = 0; t < tests.size(); t++) {
            Test test = tests.get(t);
            double a = median(rates[0][t]); // the median: one run disturbed by the shared machine moves it least
            double b = median(rates[1][t]);
            String roofline = test.prompt() ? "" : String.format("%.1f / %.1f GB/s (%.0f%% / %.0f%%)",
                    a * bytesPerToken / 1e9, b * bytesPerToken / 1e9,
                    100 * a * bytesPerToken / bandwidth, 100 * b * bytesPerToken / bandwidth);
            out.printf("| %s | %s | %.1f ± %.1f | %.1f ± %.1f | %.2f | %s |%n", model, test.name(), a,
                    stddev(rates[0][t]), b, stddev(rates[1][t]), a / b, roofline);
        }
    }

    private static double ours(BenchRunner runner, Session session, Test test, int[] tokens) {
        if (test.prompt()) {
            return test.tokens() * 1e9 / runner.promptProcessing(session, Arrays.copyOf(tokens, test.tokens()));
        }
        return test.tokens() * 1e9 / runner.textGeneration(session, tokens);
    }

    /**
     * Prompt: one completion of a single token with the prompt cache off, so the whole prompt is evaluated (the
     * one sampled token is included). Generation: {@code tokens + 1} tokens after a one-token prompt, timed from
     * the first token's arrival to the last, so {@code tokens} decode steps are measured.
     */
    private static double theirs(LlamaModel llama, Test test, String prompt, int promptTokens) {
        if (test.prompt()) {
            long start = System.nanoTime();
            llama.complete(new InferenceParameters(prompt).setNPredict(1).setCachePrompt(false)
                    .setTemperature(0f).setTopK(1));
            return promptTokens * 1e9 / (System.nanoTime() - start);
        }
        long first = 0;
        long last = 0;
        int n = 0;
        for (LlamaOutput ignored : llama.generate(new InferenceParameters("a").setNPredict(test.tokens() + 1)
                .setCachePrompt(false).setIgnoreEos(true).setTemperature(0f).setTopK(1))) {
            last = System.nanoTime();
            if (n++ == 0) {
                first = last;
            }
        }
        return (n - 1) * 1e9 / (last - first);
    }

    /**
     * Bytes of weights one decode step reads: every tensor except the token embedding table (one row of it is
     * read), unless the output projection is tied to it, in which case it is read whole by the head.
     */
    static long weightBytesPerToken(Path path) {
        try (GgufFile file = GgufFile.open(path, LoadMode.MMAP)) {
            long total = 0;
            for (GgufTensorInfo info : file.tensors().values()) {
                total += info.sizeBytes();
            }
            boolean tied = file.tensor("output.weight").isEmpty();
            long embedding = file.tensor("token_embd.weight").map(GgufTensorInfo::sizeBytes).orElse(0L);
            return tied ? total : total - embedding;
        }
    }

    /** Median bytes/s of five streaming reads of 1 GiB with {@code threads} threads. */
    static double readBandwidth(int threads) {
        try (Arena arena = Arena.ofShared(); ComputePool pool = ComputePool.ofThreads(threads)) {
            MemorySegment data = MemoryBandwidthBenchmark.randomSegment(arena, MemoryBandwidthBenchmark.BYTES);
            double[] rates = new double[5];
            MemoryBandwidthBenchmark.sum(data, pool); // warm-up
            for (int i = 0; i < rates.length; i++) {
                long start = System.nanoTime();
                MemoryBandwidthBenchmark.sum(data, pool);
                rates[i] = data.byteSize() * 1e9 / (System.nanoTime() - start);
            }
            return median(rates);
        }
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double stddev(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }
}
