package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;

/**
 * How an experiment reports progress to whoever shows it (a live terminal panel, plain text, JSON lines, a
 * test). Called on the experiment's thread, in order.
 */
public interface ExperimentListener {

    /**
     * A generation is about to start; {@code label} says which one when an experiment runs several (empty
     * when it runs just one).
     */
    void generationStarted(String label, GenerationRequest request);

    /** One event of the current generation, ending with {@link GenerationEvent.Finished}. */
    void generationEvent(GenerationEvent event);

    /** A free-form remark for the user (a heading, an observation). */
    default void note(String text) {
    }

    /** A listener that ignores everything. */
    static ExperimentListener silent() {
        return new ExperimentListener() {
            @Override
            public void generationStarted(String label, GenerationRequest request) {
            }

            @Override
            public void generationEvent(GenerationEvent event) {
            }
        };
    }
}
