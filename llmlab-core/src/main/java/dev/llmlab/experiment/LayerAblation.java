package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.modify.SelectLayers;
import dev.llmlab.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Experiment 8: layer ablation. Perplexity (experiment 6's method) and speed of the model with layers dropped, in
 * memory ({@link SelectLayers} on the file's {@link GgufModel}, no files written): each layer alone
 * ({@code mode=single}: which layer matters) or the last k layers for k = 1..n-1 ({@code mode=cumulative}).
 */
public final class LayerAblation implements Experiment {

    /** One configuration: the layers dropped, the perplexity and the speeds measured. */
    public record Row(String label, List<Integer> dropped, int layers, double perplexity, double uncertainty,
                      double evalTokensPerSecond, double generationTokensPerSecond) {
        public Row {
            dropped = List.copyOf(dropped);
        }
    }

    /** The rows, the baseline (nothing dropped) first. */
    public record Details(String mode, int contextLength, List<Row> rows) {
        public Details {
            rows = List.copyOf(rows);
        }
    }

    @Override
    public int number() {
        return 8;
    }

    @Override
    public String name() {
        return "layer-ablation";
    }

    @Override
    public String description() {
        return "Perplexity and speed as layers are dropped (each alone, or the last k), in memory";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(
                new ExperimentOption("file", "", "the text file to score (required; also --file)"),
                new ExperimentOption("mode", "single", "single: drop each layer alone; cumulative: drop the last "
                        + "1, 2, ... layers"),
                new ExperimentOption("chunks", "0", "score at most this many chunks per configuration (0: all)"),
                new ExperimentOption("gen-tokens", "32", "tokens generated (greedy) to measure generation speed"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        String text = Perplexity.readText(p.option("file", ""));
        String mode = p.option("mode", "single");
        if (!mode.equals("single") && !mode.equals("cumulative")) {
            throw new InvalidRequestException("layer-ablation: mode '" + mode + "' is not single or cumulative");
        }
        int chunks = p.intOption("chunks", 0);
        int genTokens = p.intOption("gen-tokens", 32);
        int configured = context.models().loadOptions().contextLength();
        int contextLength = configured > 0 ? configured : Perplexity.DEFAULT_CONTEXT;
        LoadOptions options = context.models().loadOptions().withContextLength(contextLength);
        String ref = context.models().refs().getFirst();
        List<Row> rows = new ArrayList<>();
        int blocks;
        // the whole model through the source, so the run record names its file and hash
        try (LocalModel whole = context.models().load(ref, o -> o.withContextLength(contextLength))) {
            blocks = whole.config().blockCount();
            // one untimed pass first, so the first row's speeds are not those of code still being compiled
            measure(whole, "warm-up", Set.of(), text, contextLength, 1, Math.min(genTokens, 8), context);
            rows.add(measure(whole, "none", Set.of(), text, contextLength, chunks, genTokens, context));
        }
        List<Set<Integer>> configurations = configurations(mode, blocks);
        try (GgufFile in = GgufFile.open(context.models().resolve(ref), options.loadMode())) {
            GgufModel base = GgufModel.of(in);
            for (int i = 1; i < configurations.size(); i++) {
                Set<Integer> dropped = configurations.get(i);
                String label = "drop " + layerText(dropped);
                context.listener().progress("configurations", i, configurations.size(), label);
                try (LocalModel m = LocalModel.load(SelectLayers.drop(dropped).apply(base), options)) {
                    rows.add(measure(m, label, dropped, text, contextLength, chunks, genTokens, context));
                }
            }
            context.listener().progress("configurations", configurations.size(), configurations.size(), "");
        }
        List<List<String>> table = new ArrayList<>();
        double baseline = rows.getFirst().perplexity();
        for (Row r : rows) {
            table.add(List.of(r.label(), String.valueOf(r.layers()), TableText.fixed(r.perplexity(), 3) + " ± "
                            + TableText.fixed(r.uncertainty(), 3), TableText.fixed(r.perplexity() / baseline, 2) + "x",
                    TableText.fixed(r.evalTokensPerSecond(), 1), TableText.fixed(r.generationTokensPerSecond(), 1)));
        }
        context.listener().table("Layer ablation (" + mode + ", n_ctx " + contextLength + ")",
                List.of("dropped", "layers", "PPL", "vs all", "eval t/s", "gen t/s"), table);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("baseline_perplexity", baseline);
        Row worst = rows.stream().skip(1).max((a, b) -> Double.compare(a.perplexity(), b.perplexity()))
                .orElse(rows.getFirst());
        metrics.put("worst_perplexity", worst.perplexity());
        metrics.put("configurations", (double) rows.size());
        return ExperimentResult.of(this, List.of(), metrics, new Details(mode, contextLength, rows));
    }

    static List<Set<Integer>> configurations(String mode, int blocks) {
        List<Set<Integer>> out = new ArrayList<>();
        out.add(Set.of());
        for (int i = 0; i < blocks - 1 || (mode.equals("single") && i < blocks); i++) {
            Set<Integer> dropped = new TreeSet<>();
            if (mode.equals("single")) {
                dropped.add(i);
            } else {
                for (int l = blocks - 1 - i; l < blocks; l++) {
                    dropped.add(l);
                }
            }
            if (dropped.size() < blocks) {
                out.add(dropped);
            }
        }
        return out;
    }

    private static Row measure(LocalModel m, String label, Set<Integer> dropped, String text, int contextLength,
                               int chunks, int genTokens, ExperimentContext context) {
        PerplexityResult ppl = Perplexity.evaluate(m, text, contextLength, 0, chunks, ExperimentListener.silent());
        double genSpeed = 0;
        if (genTokens > 0) {
            try (LocalGenerator g = new LocalGenerator(m)) {
                GenerationResult r = g.generate(GenerationRequest.of(context.params().promptOr("Once upon a time"),
                        SamplingParams.greedy(), genTokens));
                genSpeed = r.timings().tokensPerSecond();
            }
        }
        return new Row(label, new ArrayList<>(new TreeSet<>(dropped)), m.config().blockCount(), ppl.perplexity(),
                ppl.uncertainty(), ppl.tokensPerSecond(), genSpeed);
    }

    /** Layer sets as short text: 3 or 2-4 or 0,2. */
    static String layerText(Set<Integer> layers) {
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(layers));
        boolean contiguous = sorted.getLast() - sorted.getFirst() == sorted.size() - 1;
        if (sorted.size() > 1 && contiguous) {
            return sorted.getFirst() + "-" + sorted.getLast();
        }
        return String.join(",", sorted.stream().map(String::valueOf).toList());
    }
}
