package dev.llmlab.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.tensor.ComputePool;

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
 * and test by test so machine load drifts hit both alike. Prints one JSON line per engine and test, then one
 * markdown table row per test with the median rates, the ratio, and for generation the share of the machine's
 * read bandwidth (weights read per token x tokens/s over a 1 GiB streaming read measured in the same process).
 * Usage: {@code SideBySide MODEL.gguf [threads] [reps] [prompt sizes, e.g. 128,512] [gen tokens]}.
 * The binding's close can hang, so the JVM halts once the numbers are printed.
 */
public final class SideBySide {
    private static final int CONTEXT = 1024;

    private record Test(String name, int tokens, boolean prompt) {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Path path = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String prompts = args.length > 3 ? args[3] : "128,512";
        int gen = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        List<Test> tests = new ArrayList<>();
        for (String p : prompts.split(",")) {
            tests.add(new Test("pp" + p.trim(), Integer.parseInt(p.trim()), true));
        }
        tests.add(new Test("tg" + gen, gen, false));
        String model = path.getFileName().toString();

        double bandwidth = readBandwidth(threads);
        long bytesPerToken = weightBytesPerToken(path);
        System.out.printf("# %s: %.2f GB of weights read per token; streaming read %.1f GB/s (%d threads)%n",
                model, bytesPerToken / 1e9, bandwidth / 1e9, threads);

        BenchRunner runner = new BenchRunner();
        SplittableRandom random = new SplittableRandom(7);
        try (LocalModel ours = LocalModel.load(path,
                new LoadOptions(LoadMode.READ, threads, CONTEXT, KernelRegistry.best()));
             LlamaModel theirs = new LlamaModel(new ModelParameters().setModel(path.toString())
                     .setThreads(threads).setThreadsBatch(threads).setCtxSize(CONTEXT)
                     .setBatchSize(512).setUbatchSize(512).disableMmap().disableLog())) {
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
            double[][][] rates = new double[2][tests.size()][reps];
            for (int r = -1; r < reps; r++) { // r = -1: warm-up of both engines (first prompt size and generation)
                for (int t = 0; t < tests.size(); t++) {
                    Test test = tests.get(t);
                    if (r < 0 && t > 0 && test.prompt()) {
                        continue; // the batched path is warm after the first prompt; saves the longest runs
                    }
                    // alternate which engine goes first, so neither always runs on a just-warmed cache
                    for (int e = 0; e < 2; e++) {
                        int engine = (r + t + e) % 2 == 0 ? 0 : 1;
                        double rate = engine == 0
                                ? ours(runner, session, test, BenchRunner.randomTokens(random, vocab, test.tokens() + 1))
                                : theirs(theirs, test, promptText[t], promptTokens[t]);
                        if (r >= 0) {
                            rates[engine][t][r] = rate;
                        }
                    }
                }
            }
            String[] engines = {"llmlab", "llama.cpp"};
            for (int t = 0; t < tests.size(); t++) {
                for (int e = 0; e < 2; e++) {
                    double[] v = rates[e][t];
                    System.out.printf("{\"engine\":\"%s\",\"model\":\"%s\",\"test\":\"%s\",\"threads\":%d,"
                                    + "\"weights\":\"in memory\",\"tokens_per_second\":%.3f,\"median\":%.3f,"
                                    + "\"stddev\":%.3f,\"runs\":%s}%n", engines[e], model, tests.get(t).name(),
                            threads, mean(v), median(v), stddev(v), Arrays.toString(v));
                }
            }
            for (int t = 0; t < tests.size(); t++) {
                Test test = tests.get(t);
                double a = median(rates[0][t]);
                double b = median(rates[1][t]);
                String roofline = test.prompt() ? "" : String.format("%.1f / %.1f GB/s = %.0f%% / %.0f%%",
                        a * bytesPerToken / 1e9, b * bytesPerToken / 1e9,
                        100 * a * bytesPerToken / bandwidth, 100 * b * bytesPerToken / bandwidth);
                System.out.printf("| %s | %s | %.1f | %.1f | %.2f | %s |%n", model, test.name(), a, b, a / b, roofline);
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);
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
