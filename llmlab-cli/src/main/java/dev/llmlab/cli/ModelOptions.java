package dev.llmlab.cli;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.ModelResolver;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Which model to load and how: shared by every command that runs a model. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "REF", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "A .gguf file, a directory or a hub id (default: ${DEFAULT-VALUE}); experiments that "
                    + "compare models take it repeated.")
    List<String> models = List.of();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for matrix work (default: all ${DEFAULT-VALUE} processors).")
    int threads;

    @Option(names = "--mmap", negatable = true, description = "Memory-map the model file instead of reading it "
            + "into memory (default: --no-mmap; on VMs the kernel evicts idle mapped pages).")
    boolean mmap;

    @Option(names = "--context", paramLabel = "N", description = "Context length in tokens (default: the "
            + "model's, at most " + LocalModel.DEFAULT_MAX_CONTEXT + ").")
    Integer context;

    /** The one model of commands that take one. */
    ModelRef ref() {
        if (models.size() > 1) {
            throw new InvalidRequestException("this command takes one --model, got " + models.size() + ": "
                    + String.join(", ", models));
        }
        return ModelRef.parse(models.getFirst());
    }

    /** The model file, found through the resolver (the model search path, the cache). */
    Path resolve(ModelResolver resolver) {
        return resolver.resolve(ref());
    }

    /** Resolves and loads the model with {@code options} (usually {@link #loadOptions()}). */
    LocalModel load(ModelResolver resolver, LoadOptions options) {
        return LocalModel.load(resolve(resolver), options);
    }

    LoadOptions loadOptions() {
        LoadOptions options = LoadOptions.defaults()
                .withLoadMode(mmap ? LoadMode.MMAP : LoadMode.READ)
                .withThreads(threads);
        return context == null ? options : options.withContextLength(context);
    }
}
