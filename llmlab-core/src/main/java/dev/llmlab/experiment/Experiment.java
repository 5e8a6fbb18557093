package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One experiment of the lab: a self-contained investigation that drives generators and reports what happens
 * through the context's listener. A new experiment is one class implementing this plus one line in
 * {@link ExperimentRegistry#defaults()}.
 */
public interface Experiment {

    /** The number users type ({@code llmlab run 1}); unique within a registry. */
    int number();

    /** A short kebab-case name, also accepted as the id ({@code llmlab run basic-generation}). */
    String name();

    /** One sentence saying what the experiment shows. */
    String description();

    /** The settings it reads from {@link ExperimentParams#options()}; any other key is refused. */
    default List<ExperimentOption> options() {
        return List.of();
    }

    /** Refuses option keys this experiment does not read, naming the ones it does. */
    default void checkOptions(Map<String, String> given) {
        Set<String> known = new HashSet<>();
        options().forEach(o -> known.add(o.key()));
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidRequestException("experiment " + name() + " has no option '" + key
                        + "'; " + (known.isEmpty() ? "it takes none" : "it takes: " + String.join(", ",
                        options().stream().map(ExperimentOption::key).toList())) + " (see `llmlab list`)");
            }
        }
    }

    /** Whether it compares several models ({@code --model} repeated); the others run exactly one. */
    default boolean comparesModels() {
        return false;
    }

    /** Refuses several models for an experiment that runs one, instead of silently using the first. */
    default void checkModelCount(int models) {
        if (models > 1 && !comparesModels()) {
            throw new InvalidRequestException("experiment " + name() + " runs one model, got " + models
                    + "; to compare models use `llmlab run model-comparison --model A --model B`");
        }
    }

    /** Runs the experiment on the caller's thread; progress goes to {@code context.listener()}. */
    ExperimentResult run(ExperimentContext context);
}
