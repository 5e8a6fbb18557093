package dev.llmlab.experiment;

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

    /** Runs the experiment on the caller's thread; progress goes to {@code context.listener()}. */
    ExperimentResult run(ExperimentContext context);
}
