package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;

import java.util.Objects;

/**
 * Everything an experiment runs with.
 *
 * @param generators where to get the generator for the selected model
 * @param params     the user's request parameters
 * @param listener   where progress and events go
 */
public record ExperimentContext(GeneratorSource generators, ExperimentParams params, ExperimentListener listener) {

    public ExperimentContext {
        Objects.requireNonNull(generators, "generators");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(listener, "listener");
    }

    /**
     * Streams one generation on the selected model, forwarding every event to the listener, and returns its
     * result. The building block most experiments need.
     */
    public GenerationResult generate(String label, GenerationRequest request) {
        Generator generator = generators.generator(); // may load the model: before the listener starts showing
        listener.generationStarted(label, request);
        try (GenerationStream stream = generator.stream(request)) {
            while (stream.hasNext()) {
                GenerationEvent event = stream.next();
                listener.generationEvent(event);
                if (event instanceof GenerationEvent.Finished finished) {
                    return finished.result();
                }
            }
        }
        throw new IllegalStateException("generation stream for '" + label + "' ended without a result");
    }
}
