package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Experiment 2: one prompt generated with every combination of temperatures, top-p, top-k and seeds, then the
 * outputs side by side with how varied they are. Shows what each knob does to the same model.
 */
public final class SamplingSweep implements Experiment {
    public static final String DEFAULT_PROMPT = "Once upon a time";

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String name() {
        return "sampling-sweep";
    }

    @Override
    public String description() {
        return "One prompt across temperatures, top-p, top-k and seeds, outputs side by side";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(
                new ExperimentOption("temperatures", "0,0.7,1.2", "temperatures to try"),
                new ExperimentOption("top-p", "", "top-p values to try (default: --top-p)"),
                new ExperimentOption("top-k", "", "top-k values to try (default: --top-k)"),
                new ExperimentOption("seeds", "", "seeds to try (default: --seed)"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        SamplingParams base = p.sampling();
        List<SamplingParams> grid = grid(p, base);
        String prompt = p.promptOr(DEFAULT_PROMPT);
        List<Generation> generations = new ArrayList<>();
        for (SamplingParams s : grid) {
            GenerationRequest request = new GenerationRequest(prompt, s, p.maxTokens(), p.stopStrings(), null);
            generations.add(context.generate(label(s), request));
        }
        List<List<String>> rows = new ArrayList<>();
        Set<List<Integer>> distinct = new HashSet<>();
        double rateSum = 0;
        for (Generation g : generations) {
            SamplingParams s = g.request().sampling();
            GenerationResult r = g.result();
            distinct.add(r.tokenIds());
            rateSum += r.timings().tokensPerSecond();
            rows.add(List.of(String.valueOf(s.temperature()), String.valueOf(s.topP()), String.valueOf(s.topK()),
                    String.valueOf(s.seed()), String.valueOf(r.tokenIds().size()),
                    TableText.fixed(distinctTokenRatio(r.tokenIds()), 2), TableText.fixed(r.timings().tokensPerSecond(), 1),
                    TableText.shorten(r.text(), 60)));
        }
        context.listener().table("Sampling sweep: \"" + TableText.shorten(prompt, 40) + "\"",
                List.of("T", "top-p", "top-k", "seed", "tokens", "distinct", "t/s", "output"), rows);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("generations", (double) generations.size());
        metrics.put("distinct_outputs", (double) distinct.size());
        metrics.put("mean_tokens_per_second", generations.isEmpty() ? 0 : rateSum / generations.size());
        return ExperimentResult.of(this, generations, metrics, null);
    }

    /** Every combination, temperatures outermost, in the order given. */
    static List<SamplingParams> grid(ExperimentParams p, SamplingParams base) {
        List<Float> temperatures = p.floatList("temperatures", "0,0.7,1.2");
        List<Float> topPs = p.floatList("top-p", String.valueOf(base.topP()));
        List<Integer> topKs = p.intList("top-k", String.valueOf(base.topK()));
        List<Long> seeds = p.longList("seeds", String.valueOf(base.seed()));
        List<SamplingParams> grid = new ArrayList<>();
        for (float t : temperatures) {
            for (float topP : topPs) {
                for (int topK : topKs) {
                    for (long seed : seeds) {
                        grid.add(new SamplingParams(t, topK, topP, base.minP(), base.repeatPenalty(),
                                base.repeatLastN(), seed));
                    }
                }
            }
        }
        return grid;
    }

    static String label(SamplingParams s) {
        return "T=" + s.temperature() + " top-p=" + s.topP() + " top-k=" + s.topK() + " seed=" + s.seed();
    }

    /** Distinct tokens over tokens: 1 when nothing repeats, low when the output loops. */
    static double distinctTokenRatio(List<Integer> tokens) {
        return tokens.isEmpty() ? 0 : (double) new HashSet<>(tokens).size() / tokens.size();
    }
}
