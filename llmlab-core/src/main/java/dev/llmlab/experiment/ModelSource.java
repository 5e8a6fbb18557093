package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The models a run may load: the references the user selected ({@code --model}, repeatable) and how to load
 * them. Experiments that need the engine itself (perplexity, throughput at several thread counts, several
 * models) load through this; whoever loads a model closes it.
 */
public interface ModelSource {

    /** The selected model references, in the order given; at least one. */
    List<String> refs();

    /** The load options the user chose (threads, context, mmap); experiments may adjust a copy. */
    LoadOptions loadOptions();

    /** Where a reference's file is (resolved through the search path and the cache). */
    Path resolve(String ref);

    /** Loads a reference (usually one of {@link #refs()}) with adjusted options. The caller closes it. */
    LocalModel load(String ref, UnaryOperator<LoadOptions> adjust);

    /** Loads a model made during the run and held in memory (e.g. a quantized copy). The caller closes it. */
    LocalModel load(GgufModel model, UnaryOperator<LoadOptions> adjust);

    /** The first selected model, as the user chose to load it. */
    default LocalModel loadFirst() {
        return load(refs().getFirst(), UnaryOperator.identity());
    }

    /** For runs that only generate through a {@link GeneratorSource}: loading anything is a bug. */
    static ModelSource none() {
        return new ModelSource() {
            @Override
            public List<String> refs() {
                throw unavailable();
            }

            @Override
            public LoadOptions loadOptions() {
                return LoadOptions.defaults();
            }

            @Override
            public Path resolve(String ref) {
                throw unavailable();
            }

            @Override
            public LocalModel load(String ref, UnaryOperator<LoadOptions> adjust) {
                throw unavailable();
            }

            @Override
            public LocalModel load(GgufModel model, UnaryOperator<LoadOptions> adjust) {
                throw unavailable();
            }

            private InvalidRequestException unavailable() {
                return new InvalidRequestException("this experiment needs a local model, but the run was given "
                        + "only a generator; run it with --model REF");
            }
        };
    }
}
