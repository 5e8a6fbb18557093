package dev.llmlab.experiment;

import dev.llmlab.chat.ChatRequest;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything an experiment runs with.
 *
 * @param generators where to get the generator for the selected model
 * @param models     the selected models, for experiments that load them themselves
 * @param params     the user's request parameters
 * @param listener   where progress and events go
 */
public record ExperimentContext(GeneratorSource generators, ModelSource models, ExperimentParams params,
                                ExperimentListener listener) {

    public ExperimentContext {
        Objects.requireNonNull(generators, "generators");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(listener, "listener");
    }

    /** A context for experiments that only generate on one model. */
    public ExperimentContext(GeneratorSource generators, ExperimentParams params, ExperimentListener listener) {
        this(generators, ModelSource.none(), params, listener);
    }

    /**
     * Streams one generation on the selected model, forwarding every event to the listener, and returns it.
     * The building block most experiments need.
     */
    public Generation generate(String label, GenerationRequest request) {
        return generate(label, generators::generator, request);
    }

    /** Streams one generation on {@code generator} (e.g. one of several models), forwarding every event. */
    public Generation generate(String label, Generator generator, GenerationRequest request) {
        return generate(label, () -> generator, request);
    }

    /**
     * Continues a conversation on the selected model through the backend's chat formatting (the model's chat
     * template), forwarding every event. The listener is shown {@code shownAs} (the request as a person would
     * read it: the backend decides the real prompt text).
     */
    public Generation chat(String label, ChatRequest chat, GenerationRequest shownAs) {
        Generator g = generators.generator();
        listener.generationStarted(label, shownAs);
        return drain(label, shownAs, g.chat(chat));
    }

    private Generation generate(String label, Supplier<Generator> generator, GenerationRequest request) {
        Generator g = generator.get(); // may load the model: before the listener starts showing
        listener.generationStarted(label, request);
        return drain(label, request, g.stream(request));
    }

    private Generation drain(String label, GenerationRequest request, GenerationStream opened) {
        try (GenerationStream stream = opened) {
            while (stream.hasNext()) {
                GenerationEvent event = stream.next();
                listener.generationEvent(event);
                if (event instanceof GenerationEvent.Finished finished) {
                    return new Generation(label, request, finished.result());
                }
            }
        }
        throw new IllegalStateException("generation stream for '" + label + "' ended without a result");
    }

    /** Convenience for experiments: the result of {@link #generate(String, GenerationRequest)}. */
    public GenerationResult generateResult(String label, GenerationRequest request) {
        return generate(label, request).result();
    }
}
