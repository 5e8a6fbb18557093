package dev.llmlab.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment produced.
 *
 * @param number      the experiment's number
 * @param name        the experiment's name
 * @param generations every generation it ran, in order
 * @param metrics     headline numbers, flat and named (e.g. {@code perplexity}, {@code tokens_per_second}),
 *                    which {@code llmlab runs} and {@code compare} tabulate
 * @param details     the experiment's own structured result (a record), kept in the run record for reports;
 *                    null when the generations say it all
 */
public record ExperimentResult(int number, String name, List<Generation> generations, Map<String, Double> metrics,
                               Object details) {

    public ExperimentResult {
        generations = List.copyOf(generations);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    static ExperimentResult of(Experiment experiment, List<Generation> generations) {
        return of(experiment, generations, Map.of(), null);
    }

    static ExperimentResult of(Experiment experiment, List<Generation> generations, Map<String, Double> metrics,
                               Object details) {
        return new ExperimentResult(experiment.number(), experiment.name(), generations, metrics, details);
    }
}
