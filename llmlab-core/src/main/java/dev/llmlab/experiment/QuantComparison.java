package dev.llmlab.experiment;

import dev.llmlab.bench.BenchConfig;
import dev.llmlab.bench.BenchResult;
import dev.llmlab.bench.BenchRunner;
import dev.llmlab.bench.BenchListener;
import dev.llmlab.bench.BenchTest;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.quant.QualityReport;
import dev.llmlab.quant.QuantTarget;
import dev.llmlab.quant.Quantizer;
import dev.llmlab.tensor.ComputePool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Experiment 3: one GGUF model at several quantizations, each made in memory with {@link Quantizer} (nothing is
 * written to disk), side by side with the original: size and bits per weight, speed (pp and tg, mean of 3 runs),
 * perplexity on a text (llama.cpp's chunked method) and agreement with the original over the same text (mean KL
 * divergence of the next-token distributions and top-1 agreement, {@link QualityReport}).
 */
public final class QuantComparison implements Experiment {
    public static final String DEFAULT_TYPES = "Q8_0,Q6_K,Q4_K_M,Q4_0";
    private static final int MAX_AGREEMENT_TOKENS = 256;

    /** One quantization, or the original ({@code type} "original"). */
    public record Row(String type, long sizeBytes, double bitsPerWeight, double perplexity, double meanKlDivergence,
                      double top1Agreement, double promptTokensPerSecond, double tokensPerSecond, int fallbacks) {
    }

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String name() {
        return "quant-comparison";
    }

    @Override
    public String description() {
        return "One model at several quantizations made in memory: size, speed, perplexity, agreement";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(
                new ExperimentOption("types", DEFAULT_TYPES, "quantizations to make, e.g. Q8_0, Q6_K, Q5_K_M, "
                        + "Q4_K_M, Q4_0, IQ4_NL"),
                new ExperimentOption("file", "", "text for perplexity and agreement (also --file; default: a "
                        + "built-in short story)"),
                new ExperimentOption("bench-tokens", "64", "tokens per speed run (pp and tg); 0 skips speed"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        List<QuantTarget> targets = targets(p.option("types", DEFAULT_TYPES));
        String text = p.options().containsKey("file") ? Perplexity.readText(p.option("file", "")) : defaultText();
        int benchTokens = p.intOption("bench-tokens", 64);
        ModelSource models = context.models();
        String ref = models.refs().getFirst();
        List<Row> rows = new ArrayList<>();
        try (GgufFile file = GgufFile.open(models.resolve(ref), LoadMode.READ);
             ComputePool pool = ComputePool.ofThreads(models.loadOptions().threads())) {
            GgufModel source = GgufModel.of(file);
            Measurer m = new Measurer(context, text, benchTokens);
            try (LocalModel original = models.load(source, m::withContext)) { // the file's memory, not a second copy
                m.prepare(original);
                rows.add(m.row("original", original, source, 0, 1, 0));
            }
            for (QuantTarget target : targets) {
                String task = "quantizing " + target;
                Quantizer.Result q = Quantizer.quantize(source, target, pool, (choice, done, total) ->
                        context.listener().progress(task, (int) (1000 * done / Math.max(1, total)), 1000,
                                choice.name()));
                UnaryOperator<LoadOptions> options = o -> m.withContext(computable(q.model(), o));
                QualityReport.Row agreement = QualityReport.measure(target.name(), q.model(), m.reference,
                        options.apply(models.loadOptions()));
                try (LocalModel quantized = models.load(q.model(), options)) {
                    rows.add(m.row(target.name(), quantized, q.model(), agreement.meanKlDivergence(),
                            agreement.top1Agreement(), q.fallbacks().size()));
                }
            }
        }
        return result(context, rows);
    }

    private ExperimentResult result(ExperimentContext context, List<Row> rows) {
        List<List<String>> table = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Row r : rows) {
            table.add(List.of(r.type(), TableText.fixed(r.sizeBytes() / 1e6, 2) + " MB",
                    TableText.fixed(r.bitsPerWeight(), 2), TableText.fixed(r.perplexity(), 4),
                    String.format(Locale.ROOT, "%.5f", r.meanKlDivergence()),
                    TableText.fixed(100 * r.top1Agreement(), 1) + "%", TableText.fixed(r.promptTokensPerSecond(), 1),
                    TableText.fixed(r.tokensPerSecond(), 1), String.valueOf(r.fallbacks())));
            metrics.put("perplexity[" + r.type() + "]", r.perplexity());
            metrics.put("size_mb[" + r.type() + "]", r.sizeBytes() / 1e6);
            if (!r.type().equals("original")) {
                metrics.put("top1_agreement[" + r.type() + "]", r.top1Agreement());
            }
        }
        context.listener().table("Quantizations of " + context.models().refs().getFirst(),
                List.of("type", "size", "bits/w", "PPL", "KL", "top-1", "pp t/s", "tg t/s", "fallbacks"), table);
        return ExperimentResult.of(this, List.of(), metrics, rows);
    }

    /** What every row is measured against: the text's tokens, the original's distributions, the context. */
    private static final class Measurer {
        private final ExperimentContext context;
        private final String text;
        private final int benchTokens;
        private int perplexityContext;
        private QualityReport.Reference reference;

        Measurer(ExperimentContext context, String text, int benchTokens) {
            this.context = context;
            this.text = text;
            this.benchTokens = benchTokens;
            int configured = context.models().loadOptions().contextLength();
            this.perplexityContext = configured > 0 ? configured : Perplexity.DEFAULT_CONTEXT; // lowered by prepare
        }

        /** Large enough for a perplexity chunk, the agreement text and a speed run. */
        LoadOptions withContext(LoadOptions o) {
            return o.withContextLength(Math.max(Math.max(perplexityContext, MAX_AGREEMENT_TOKENS), benchTokens + 1));
        }

        void prepare(LocalModel original) {
            int[] tokens = original.tokenizer().encode(text, original.tokenizer().addBosByDefault(), false);
            // --context (else 512) at most, and small enough for llama.cpp's two chunks
            perplexityContext = Math.min(perplexityContext, Integer.highestOneBit(Math.max(1, tokens.length / 2)));
            if (perplexityContext < 8) {
                throw new InvalidRequestException("the text is " + tokens.length + " tokens; give a longer one "
                        + "with --file");
            }
            reference = QualityReport.reference(original, Arrays.copyOf(tokens,
                    Math.min(tokens.length, MAX_AGREEMENT_TOKENS)));
        }

        Row row(String type, LocalModel model, GgufModel gguf, double kl, double top1, int fallbacks) {
            PerplexityResult ppl = Perplexity.evaluate(model, text, perplexityContext, 0, 0, context.listener());
            double pp = 0;
            double tg = 0;
            if (benchTokens > 0) {
                BenchResult bench = new BenchRunner().run(model, new BenchConfig(benchTokens, benchTokens, 3, 1,
                        BenchConfig.DEFAULT_SEED), BenchListener.silent());
                for (BenchTest t : bench.tests()) {
                    if (t.kind().equals(BenchTest.PROMPT_PROCESSING)) {
                        pp = t.meanTokensPerSecond();
                    } else {
                        tg = t.meanTokensPerSecond();
                    }
                }
            }
            long tensorBytes = gguf.tensors().stream().mapToLong(t -> t.data().byteSize()).sum();
            return new Row(type, gguf.writer().fileSizeBytes(), tensorBytes * 8.0 / gguf.parameterCount(),
                    ppl.perplexity(), kl, top1, pp, tg, fallbacks);
        }
    }

    /** Vector kernels where they cover every tensor type, else the scalar reference kernels (slower, exact). */
    private static LoadOptions computable(GgufModel model, LoadOptions options) {
        boolean covered = model.tensors().stream()
                .allMatch(t -> options.kernels().supportedTypes().contains(t.type()));
        return covered ? options : options.withKernels(KernelRegistry.scalar());
    }

    static List<QuantTarget> targets(String types) {
        List<QuantTarget> targets = new ArrayList<>();
        for (String t : types.split(",")) {
            if (t.isBlank()) {
                continue;
            }
            try {
                targets.add(QuantTarget.valueOf(t.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("unknown quantization '" + t.strip() + "'; known: "
                        + Arrays.toString(QuantTarget.values()) + " (--set types=Q8_0,Q4_K_M)");
            }
        }
        if (targets.isEmpty()) {
            throw new InvalidRequestException("no quantization given: --set types=Q8_0,Q4_K_M");
        }
        return targets;
    }

    /** A short story shipped with llmlab, for when no --file is given. */
    static String defaultText() {
        try (InputStream in = QuantComparison.class.getResourceAsStream("default-text.txt")) {
            if (in == null) {
                throw new IllegalStateException("default-text.txt is missing from the llmlab build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
