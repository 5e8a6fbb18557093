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
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code llmlab bench}: prompt-processing and generation speed, mean ± sd over repetitions (llama-bench). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure prompt processing (pp) and text generation (tg) speed in tokens/s.",
                "Mean ± standard deviation over repetitions, after warm-up runs."})
final class BenchCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = {"-p", "--prompt-tokens"}, paramLabel = "N", defaultValue = "128",
            description = "Tokens per prompt-processing run; 0 skips it (default: ${DEFAULT-VALUE}).")
    int promptTokens;

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

    @Option(names = "--json", description = "One JSON object with the configuration and the rates.")
    boolean json;

    @Mixin
    ModelOptions model = new ModelOptions();

    BenchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        BenchConfig config = new BenchConfig(promptTokens, generatedTokens, repetitions, warmupRuns,
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
