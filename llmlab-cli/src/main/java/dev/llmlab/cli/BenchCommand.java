package dev.llmlab.cli;

import dev.llmlab.bench.BenchConfig;
import dev.llmlab.bench.BenchListener;
import dev.llmlab.bench.BenchResult;
import dev.llmlab.bench.BenchRunner;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.BenchTable;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.ModelLine;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code llmlab bench}: prompt-processing and generation speed, mean ± sd over repetitions (llama-bench). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure prompt processing (pp) and text generation (tg) speed in tokens/s.",
                "Mean ± standard deviation over repetitions, after warm-up runs.",
                "--compare llama.cpp runs llama.cpp on the same GGUF file too, alternating with llmlab."})
final class BenchCommand implements Callable<Integer> {
    private static final List<Integer> DEFAULT_PROMPTS = List.of(128);
    private static final List<Integer> DEFAULT_COMPARE_PROMPTS = List.of(128, 512);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prompt-tokens"}, paramLabel = "N", split = ",",
            description = "Tokens per prompt-processing run; 0 skips it; with --compare a list like llama-bench's "
                    + "(-p 128,512) (default: 128; with --compare: 128,512).")
    List<Integer> promptTokens = List.of();

    @Option(names = {"-n", "--gen-tokens"}, paramLabel = "N", defaultValue = "64",
            description = "Tokens per generation run; 0 skips it (default: ${DEFAULT-VALUE}).")
    int generatedTokens;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "R", defaultValue = "3",
            description = "Measured runs per test (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "1",
            description = "Unmeasured runs per test before the measured ones; the JIT compiler may need more "
                    + "than one (default: ${DEFAULT-VALUE}).")
    int warmupRuns;

    @Option(names = "--json", description = "One JSON object with the configuration and the rates; with "
            + "--compare one per engine and test.")
    boolean json;

    @Option(names = "--compare", paramLabel = "ENGINE", description = "Also run ENGINE (only llama.cpp, through "
            + "its Java binding in a separate JVM) on the same GGUF file, alternating with llmlab, both with the "
            + "weights in memory; prints both, the ratio and the share of the measured read bandwidth.")
    String compare;

    @Mixin
    ModelOptions model = new ModelOptions();

    BenchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (compare != null) {
            return compare();
        }
        if (promptTokens.size() > 1) {
            throw new ParameterException(spec.commandLine(), "several prompt sizes (-p " + joined(promptTokens)
                    + ") need --compare " + SideBySideLauncher.ENGINE + "; without it, bench one size per run");
        }
        int prompt = promptTokens.isEmpty() ? DEFAULT_PROMPTS.getFirst() : promptTokens.getFirst();
        BenchConfig config = new BenchConfig(prompt, generatedTokens, repetitions, warmupRuns,
                BenchConfig.DEFAULT_SEED);
        LoadOptions options = model.loadOptions();
        if (model.context == null) {
            // like llama-bench: a cache just big enough, so huge trained contexts cost no memory here
            options = options.withContextLength(config.contextNeeded());
        }
        PrintStream progress = context.err();
        Ansi errAnsi = new Ansi(context.stderr().ansi());
        try (LocalModel loaded = model.load(context.modelResolver(), options)) {
            progress.println(ModelLine.describe(loaded.info(), errAnsi));
            BenchResult result = new BenchRunner().run(loaded, config, progressListener(progress));
            if (json) {
                context.out().println(result.toJson());
            } else {
                BenchTable.render(result, new Ansi(context.stdout().ansi())).forEach(context.out()::println);
            }
        }
        context.out().flush();
        return 0;
    }

    /**
     * llmlab and llama.cpp side by side in a child JVM on llmlab-bench's jar (see {@link SideBySideLauncher}):
     * only the model is resolved here; the child loads it in both engines.
     */
    private int compare() {
        if (!compare.equals(SideBySideLauncher.ENGINE)) {
            throw new ParameterException(spec.commandLine(), "--compare accepts only " + SideBySideLauncher.ENGINE
                    + ", got '" + compare + "'");
        }
        List<Integer> prompts = promptTokens.isEmpty() ? DEFAULT_COMPARE_PROMPTS
                : promptTokens.stream().filter(p -> p != 0).toList();
        for (int p : prompts.isEmpty() ? List.of(0) : prompts) {
            new BenchConfig(p, generatedTokens, repetitions, warmupRuns, BenchConfig.DEFAULT_SEED); // validates
        }
        int threads = model.loadOptions().threads();
        Path file = SideBySideLauncher.requireGguf(model.resolve(context.modelResolver()));
        SideBySideLauncher launcher = SideBySideLauncher.locate(context.env().benchJar());
        context.err().println("llmlab and " + SideBySideLauncher.ENGINE + " on " + file + ", " + threads
                + " threads, alternating (child JVM on " + launcher.benchJar() + ")");
        int code = launcher.run(new SideBySideLauncher.Request(file, threads, repetitions, warmupRuns, prompts,
                generatedTokens, json), context.out(), context.err());
        context.out().flush();
        return code;
    }

    private static String joined(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** One line per run on stderr, so long benchmarks show signs of life without touching stdout. */
    private BenchListener progressListener(PrintStream progress) {
        return new BenchListener() {
            @Override
            public void runFinished(String test, int run, boolean warmup, double tokensPerSecond) {
                progress.println("  " + test + (warmup ? " warm-up " : " run ") + (run + 1)
                        + ": " + HumanUnits.rate(tokensPerSecond));
            }
        };
    }
}
