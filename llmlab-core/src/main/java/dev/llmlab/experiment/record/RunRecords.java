package dev.llmlab.experiment.record;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.experiment.ExperimentParams;
import dev.llmlab.experiment.ExperimentResult;
import dev.llmlab.experiment.Generation;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.Timings;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Turns a finished run into its record, and a record back into what is needed to rerun it. */
public final class RunRecords {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private RunRecords() {
    }

    /** e.g. {@code 20261125-151203-perplexity-3f2a}: sorts by time, says what it is, and does not collide. */
    public static String newId(Instant start, String experimentName, SplittableRandom random) {
        return ID_TIME.format(start) + "-" + experimentName + "-" + String.format(Locale.ROOT, "%04x",
                random.nextInt(1 << 16));
    }

    public static RunRecord of(String id, Instant start, String llmlabVersion, ExperimentResult result,
                               RunRecord.Parameters parameters, List<RunRecord.ModelFile> models,
                               HardwareSummary hardware, double totalSeconds) {
        List<RunRecord.GenerationRecord> generations = new ArrayList<>();
        String backend = "llmlab-java";
        for (Generation g : result.generations()) {
            GenerationResult r = g.result();
            backend = r.backend();
            generations.add(new RunRecord.GenerationRecord(g.label(), g.request().prompt(), g.request().sampling(),
                    r.text(), r.tokenIds(), r.finishReason().name().toLowerCase(Locale.ROOT), timing(r.timings())));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.metrics().forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                metrics.put(k, v);
            }
        });
        return new RunRecord(RunRecord.FORMAT_VERSION, id, start.toString(), llmlabVersion, result.number(),
                result.name(), parameters, models, backend, hardware, parameters.sampling().seed(),
                new RunRecord.Outputs(generations, metrics,
                        result.details() == null ? null : RunStore.json().valueToTree(result.details())),
                totalSeconds);
    }

    static RunRecord.Timing timing(Timings t) {
        return new RunRecord.Timing(t.promptTokens(), t.promptTime().toNanos() / 1e6, t.generatedTokens(),
                t.generationTime().toNanos() / 1e6, t.timeToFirstToken().toNanos() / 1e6, t.total().toNanos() / 1e6,
                t.promptTokensPerSecond(), t.tokensPerSecond());
    }

    /** The parameters to run the recorded experiment again with. */
    public static ExperimentParams params(RunRecord record) {
        RunRecord.Parameters p = record.parameters();
        if (p == null || p.sampling() == null) {
            throw new InvalidRequestException("run " + record.id() + " has no parameters to replay");
        }
        return new ExperimentParams(p.prompt(), p.sampling(), p.maxTokens(),
                p.stopStrings() == null ? List.of() : p.stopStrings(), p.options() == null ? Map.of() : p.options());
    }

    /**
     * How a rerun differs from the record, generation by generation (label and token ids); empty when every
     * token is the same.
     */
    public static List<String> differences(RunRecord record, ExperimentResult rerun) {
        List<RunRecord.GenerationRecord> before = record.outputs().generations();
        List<Generation> after = rerun.generations();
        List<String> differences = new ArrayList<>();
        if (before.size() != after.size()) {
            differences.add("the record has " + before.size() + " generations, the rerun " + after.size());
        }
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            RunRecord.GenerationRecord b = before.get(i);
            Generation a = after.get(i);
            String name = b.label() == null || b.label().isEmpty() ? "generation " + (i + 1) : b.label();
            List<Integer> expected = b.tokenIds();
            List<Integer> actual = a.result().tokenIds();
            if (!expected.equals(actual)) {
                int at = 0;
                while (at < Math.min(expected.size(), actual.size()) && expected.get(at).equals(actual.get(at))) {
                    at++;
                }
                differences.add(name + ": tokens differ from index " + at + " (recorded " + expected.size()
                        + " tokens, rerun " + actual.size() + ")");
            }
        }
        return differences;
    }
}
