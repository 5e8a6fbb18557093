package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Experiment 4: several models ({@code --model} repeated) on the same prompts with the same sampling, outputs
 * side by side with their speed. Models are loaded one at a time, so only one is in memory.
 */
public final class ModelComparison implements Experiment {
    public static final String DEFAULT_PROMPTS = "Once upon a time|The little dog";

    /** One model on one prompt. */
    public record Row(String model, String ref, long fileSizeBytes, long parameterCount, int prompt,
                      int promptTokens, int generatedTokens, double promptTokensPerSecond, double tokensPerSecond,
                      double timeToFirstTokenMs, String text) {
    }

    @Override
    public int number() {
        return 4;
    }

    @Override
    public boolean comparesModels() {
        return true;
    }

    @Override
    public String name() {
        return "model-comparison";
    }

    @Override
    public String description() {
        return "Several models (--model repeated) on the same prompts, outputs side by side with speed";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(new ExperimentOption("prompts", DEFAULT_PROMPTS,
                "prompts separated by | (default: --prompt, else these)"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        List<String> prompts = prompts(p);
        List<Generation> generations = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String ref : context.models().refs()) {
            try (LocalModel model = context.models().load(ref, UnaryOperator.identity());
                 LocalGenerator generator = new LocalGenerator(model)) {
                String name = model.info().name();
                double rateSum = 0;
                for (int i = 0; i < prompts.size(); i++) {
                    GenerationRequest request = new GenerationRequest(prompts.get(i), p.sampling(), p.maxTokens(),
                            p.stopStrings(), null);
                    Generation g = context.generate(name + " · prompt " + (i + 1), generator, request);
                    generations.add(g);
                    GenerationResult r = g.result();
                    rateSum += r.timings().tokensPerSecond();
                    rows.add(new Row(name, ref, model.info().fileSizeBytes(), model.info().parameterCount(), i + 1,
                            r.timings().promptTokens(), r.timings().generatedTokens(),
                            r.timings().promptTokensPerSecond(), r.timings().tokensPerSecond(),
                            r.timings().timeToFirstToken().toNanos() / 1e6, r.text()));
                }
                metrics.put("tokens_per_second[" + name + "]", rateSum / prompts.size());
            }
        }
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.model(), String.valueOf(r.prompt()), String.valueOf(r.generatedTokens()),
                    TableText.fixed(r.tokensPerSecond(), 1), TableText.fixed(r.timeToFirstTokenMs(), 1),
                    TableText.shorten(r.text(), 60)));
        }
        context.listener().table("Model comparison (" + prompts.size() + " prompt(s))",
                List.of("model", "prompt", "tokens", "t/s", "ttft ms", "output"), table);
        return ExperimentResult.of(this, generations, metrics, rows);
    }

    static List<String> prompts(ExperimentParams p) {
        String raw = p.options().containsKey("prompts") ? p.option("prompts", DEFAULT_PROMPTS)
                : p.prompt() != null ? p.prompt() : DEFAULT_PROMPTS;
        List<String> prompts = Arrays.stream(raw.split("\\|")).filter(s -> !s.isBlank()).toList();
        if (prompts.isEmpty()) {
            throw new InvalidRequestException("no prompt to compare on: give --prompt TEXT or "
                    + "--set prompts='first|second'");
        }
        return prompts;
    }
}
