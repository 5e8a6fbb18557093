package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.RetryPolicy;
import dev.llmlab.hub.Sleeper;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.WeightDtype;
import dev.llmlab.system.Alternative;
import dev.llmlab.system.HubRecommendations;
import dev.llmlab.system.InferenceEstimate;
import dev.llmlab.system.LocalSystemSource;
import dev.llmlab.system.MemoryEstimator;
import dev.llmlab.system.ModelHeader;
import dev.llmlab.system.ModelHeaders;
import dev.llmlab.system.RuntimeProfile;
import dev.llmlab.system.SystemDetector;
import dev.llmlab.system.Recommender;
import dev.llmlab.system.RemoteHeaders;
import dev.llmlab.system.RuntimeCalibration;
import dev.llmlab.system.SystemInfo;
import dev.llmlab.system.TrainingEstimate;
import dev.llmlab.system.TrainingEstimator;
import dev.llmlab.system.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code llmlab fit REF}: the memory a model needs here, term by term, and whether it fits. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate the memory a model needs (from its header only) and whether it fits this machine."})
final class FitCommand implements Callable<Integer> {
    static final int HUB_CANDIDATES = HubRecommendations.DEFAULT_CANDIDATES;
    static final Duration HUB_TIME_LIMIT = Duration.ofSeconds(10);
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REF", description = "A .gguf file, a directory or a "
            + "hub id (or --model REF, as the commands that run a model take it); a hub id not in the cache: only its "
            + "header is read, over HTTP range requests.")
    String positionalModel;

    @Option(names = "--model", paramLabel = "REF", description = "The same as REF.")
    String modelOption;

    @Option(names = "--context", paramLabel = "N", description = "Context length in tokens (default: the model's, "
            + "at most 4096, as generate allocates).")
    int contextLength;

    @Option(names = "--dtype", paramLabel = "T", description = "Weights converted at load to this type, as "
            + "the engine does with --dtype (f32, f16, bf16, q8_0, q4_0): the copies are added to the file.")
    String dtype;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1",
            description = "Sequences per training batch, for the training estimates (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lora-rank", paramLabel = "R", defaultValue = "16",
            description = "LoRA rank for the training estimate (default: ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for matrix work (default: all processors).")
    int threads;

    @Option(names = "--mmap", description = "Estimate for a memory-mapped file (default: read into memory).")
    boolean mmap;

    @Option(names = "--search", paramLabel = "PATTERN", description = "Hub search for smaller models that fit "
            + "(default: the model's architecture, e.g. llama, qwen2).")
    String searchPattern;

    @Option(names = "--no-hub", description = "Do not search the hub for smaller models.")
    boolean noHub;

    @Option(names = "--json", description = "One JSON object: the breakdown, inference_bytes, verdict and "
            + "hub_alternatives.")
    boolean json;

    FitCommand(CliContext context) {
        this.context = context;
    }

    /**
     * The model's header: from the local file when the reference resolves here (cache, search path), else, for a
     * hub reference while online, read over HTTP range requests without downloading the weights.
     */
    private ModelHeader header(ModelRef ref) {
        try {
            Path file = context.env().modelResolver().resolve(ref);
            return ModelHeaders.of(file, ArchitectureRegistry.defaults(), true);
        } catch (ModelNotFoundException e) {
            HubSettings hub = context.hub();
            if (!(ref instanceof ModelRef.Hub hubRef) || hub.offline()) {
                throw e;
            }
            return RemoteHeaders.gguf(new HubApi(HubClient.create(hub)), hubRef, ArchitectureRegistry.defaults(),
                    Path.of(System.getProperty("java.io.tmpdir")), true);
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        if (batch < 1 || loraRank < 1 || contextLength < 0) {
            throw new InvalidRequestException("--batch and --lora-rank must be at least 1 and --context at least 0 "
                    + "(0 = the model's), got " + batch + ", " + loraRank + " and " + contextLength);
        }
        String ref = model();
        LocalSystemSource source = new LocalSystemSource(Duration.ofSeconds(5));
        SystemInfo system = new SystemDetector(source).detect();
        ModelHeader header = header(ModelRef.parse(ref));
        int threadCount = threads > 0 ? threads : system.engine().threads();
        RuntimeProfile runtime = RuntimeCalibration.measure(source, header, threadCount,
                Path.of(System.getProperty("java.io.tmpdir"))).orElseThrow(() -> new InvalidRequestException(
                "cannot measure the JVM's memory here (no /proc/self/status): fit needs Linux"));
        GgmlType convertTo = (dtype == null ? WeightDtype.AUTO : WeightDtype.parse(dtype))
                .plan(header.parameterCount(), header.quantizeWhenLarge(), "").matrixType();
        LoadMode mode = mmap ? LoadMode.MMAP : LoadMode.READ;
        MemoryEstimator estimator = new MemoryEstimator(runtime);
        InferenceEstimate estimate = estimator.inference(header, contextLength, mode, threadCount, convertTo);
        Recommender recommender = new Recommender(estimator, system.memory(), system.jvm().maxHeapBytes());
        Verdict verdict = recommender.judge(estimate);
        List<Alternative> alternatives = new ArrayList<>(recommender.quantizations(header, contextLength, mode,
                threadCount));
        if (verdict.level() != Verdict.Level.FITS) {
            recommender.shorterContext(header, contextLength, mode, threadCount).ifPresent(alternatives::add);
        }
        List<TrainingEstimate> training = TrainingEstimator.estimate(header, batch, estimate.contextLength(),
                loraRank);
        HubRecommendations.Result hub = noHub ? null : hubAlternatives(estimate, recommender);
        FitReport report = new FitReport(estimate, verdict, alternatives, training, recommender, hub);
        PrintStream out = context.out();
        if (json) {
            out.println(report.toJson());
        } else {
            report.render(new Ansi(context.stdout().ansi())).forEach(out::println);
        }
        out.flush();
        return 0;
    }

    /**
     * Smaller models from the hub, always searched (unless --no-hub) but bounded: {@value #HUB_CANDIDATES}
     * candidates, one attempt per request (no retries) and {@link #HUB_TIME_LIMIT} in all.
     */
    private HubRecommendations.Result hubAlternatives(InferenceEstimate estimate, Recommender recommender) {
        String pattern = searchPattern != null ? searchPattern : HubRecommendations.defaultQuery(estimate.model());
        HubSettings settings = context.hub();
        if (settings.offline()) {
            return HubRecommendations.Result.skipped(pattern, "hub search skipped: offline (--offline or "
                    + "HF_HUB_OFFLINE); `llmlab fit ... --search PATTERN` online lists smaller models");
        }
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(HUB_TIME_LIMIT).build();
        HubClient client = new HubClient(settings, http, new RetryPolicy(1, Duration.ZERO, Duration.ZERO),
                Sleeper.system());
        return new HubRecommendations(new HubApi(client), EloTable.load(settings.cacheDir()), recommender,
                HUB_CANDIDATES).find(estimate, pattern, HUB_TIME_LIMIT);
    }

    /** The model from REF or --model: exactly one of them. */
    private String model() {
        if ((positionalModel == null) == (modelOption == null)) {
            throw new ParameterException(spec.commandLine(), positionalModel == null
                    ? "missing the model: pass REF or --model REF (a .gguf file, a directory or a hub id)"
                    : "pass the model once: REF or --model REF, not both");
        }
        return positionalModel != null ? positionalModel : modelOption;
    }
}
