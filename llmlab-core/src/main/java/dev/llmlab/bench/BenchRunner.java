package dev.llmlab.bench;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.generate.Ticker;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;
import dev.llmlab.model.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A llama-bench-like measurement of raw engine speed, without tokenizer or sampler in the loop:
 * <ul>
 *   <li>{@code ppN}: one batched {@link Session#ingest} of N random token ids from an empty cache;</li>
 *   <li>{@code tgN}: after one prompt token, N calls of {@link Session#next} with random ids.</li>
 * </ul>
 * Each test runs its warm-up runs, then the measured repetitions; rates are tokens per second.
 */
public final class BenchRunner {
    private final Ticker ticker;

    public BenchRunner(Ticker ticker) {
        this.ticker = ticker;
    }

    public BenchRunner() {
        this(Ticker.system());
    }

    public BenchResult run(LocalModel model, BenchConfig config, BenchListener listener) {
        Session session = model.newSession();
        if (session.contextLength() < config.contextNeeded()) {
            throw new InvalidRequestException("the benchmark needs " + config.contextNeeded()
                    + " context positions but the session has " + session.contextLength()
                    + "; lower -p/-n or raise --context");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        int vocab = session.config().vocabSize();
        List<BenchTest> tests = new ArrayList<>();
        if (config.promptTokens() > 0) {
            tests.add(measure(BenchTest.PROMPT_PROCESSING, config.promptTokens(), config, listener,
                    () -> promptProcessing(session, randomTokens(random, vocab, config.promptTokens()))));
        }
        if (config.generatedTokens() > 0) {
            tests.add(measure(BenchTest.TEXT_GENERATION, config.generatedTokens(), config, listener,
                    () -> textGeneration(session, randomTokens(random, vocab, config.generatedTokens() + 1))));
        }
        ModelInfo info = model.info();
        return new BenchResult(info.name(), info.architecture(), String.valueOf(info.file()), info.fileSizeBytes(),
                info.parameterCount(), info.tensorTypeSummary(), String.valueOf(info.loadMode()), info.threads(),
                String.valueOf(info.kernels()), session.contextLength(), config.repetitions(), config.warmupRuns(),
                tests);
    }

    /** A run that returns its own elapsed nanoseconds (setup excluded). */
    @FunctionalInterface
    private interface TimedRun {
        long nanos();
    }

    private static BenchTest measure(String kind, int tokens, BenchConfig config, BenchListener listener,
                                     TimedRun run) {
        String name = kind + tokens;
        List<Double> rates = new ArrayList<>();
        int total = config.warmupRuns() + config.repetitions();
        for (int i = 0; i < total; i++) {
            boolean warmup = i < config.warmupRuns();
            double rate = tokens * 1e9 / Math.max(1, run.nanos());
            if (!warmup) {
                rates.add(rate);
            }
            listener.runFinished(name, warmup ? i : i - config.warmupRuns(), warmup, rate);
        }
        return BenchTest.of(kind, tokens, rates);
    }

    /** Nanoseconds of one batched ingest of {@code tokens} from an empty cache. */
    public long promptProcessing(Session session, int[] tokens) {
        session.reset();
        long start = ticker.nanoTime();
        session.ingest(tokens);
        return ticker.nanoTime() - start;
    }

    /** tokens[0] is the untimed one-token prompt; the rest are fed one by one, as decoding does. */
    public long textGeneration(Session session, int[] tokens) {
        session.reset();
        session.ingest(new int[]{tokens[0]});
        long start = ticker.nanoTime();
        for (int i = 1; i < tokens.length; i++) {
            session.next(tokens[i]);
        }
        return ticker.nanoTime() - start;
    }

    public static int[] randomTokens(SplittableRandom random, int vocab, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }
}
