package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;

import java.util.List;

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

    /**
     * Progress of a long step that is not a generation (perplexity chunks, benchmark runs): {@code done} of
     * {@code total} units; {@code detail} is the latest figure (e.g. the running perplexity). Called with
     * {@code done == total} when the step ends.
     */
    default void progress(String task, int done, int total, String detail) {
    }

    /** A finished table of results (side-by-side outputs, rates); the view lays it out. */
    default void table(String title, List<String> header, List<List<String>> rows) {
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
