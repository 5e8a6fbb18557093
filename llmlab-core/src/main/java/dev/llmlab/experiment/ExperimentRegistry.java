package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The experiments on offer: an explicit list, looked up by number or name. */
public final class ExperimentRegistry {
    private final List<Experiment> experiments;

    public ExperimentRegistry(List<Experiment> experiments) {
        this.experiments = List.copyOf(experiments);
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Experiment e : this.experiments) {
            if (!numbers.add(e.number())) {
                throw new IllegalArgumentException("two experiments have the number " + e.number());
            }
            if (!names.add(e.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("two experiments have the name " + e.name());
            }
        }
    }

    /** Every experiment llmlab ships; a new experiment is one more line here. */
    public static ExperimentRegistry defaults() {
        return new ExperimentRegistry(List.of(
                new BasicGeneration(),
                new SamplingSweep(),
                new QuantComparison(),
                new ModelComparison(),
                new Throughput(),
                new Perplexity(),
                new ChatWithSystemPrompt(),
                new LayerAblation()));
    }

    /** All experiments, in the order given. */
    public List<Experiment> all() {
        return experiments;
    }

    /** The experiment whose number or name (case-insensitive) is {@code id}. */
    public Experiment find(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (Experiment e : experiments) {
            if (String.valueOf(e.number()).equals(wanted) || e.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return e;
            }
        }
        throw new InvalidRequestException("unknown experiment '" + id + "'; valid: " + validIds()
                + " (see `llmlab list`)");
    }

    private String validIds() {
        return experiments.stream()
                .map(e -> e.number() + " (" + e.name() + ")")
                .collect(Collectors.joining(", "));
    }
}
