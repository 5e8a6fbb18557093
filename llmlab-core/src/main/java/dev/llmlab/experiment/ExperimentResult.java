package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationResult;

import java.util.List;

/**
 * What an experiment produced.
 *
 * @param number      the experiment's number
 * @param name        the experiment's name
 * @param generations every generation it ran, in order
 */
public record ExperimentResult(int number, String name, List<GenerationResult> generations) {

    public ExperimentResult {
        generations = List.copyOf(generations);
    }

    static ExperimentResult of(Experiment experiment, List<GenerationResult> generations) {
        return new ExperimentResult(experiment.number(), experiment.name(), generations);
    }
}
