package dev.llmlab.cli;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.experiment.LocalModelSource;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.ModelResolver;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;
import dev.llmlab.model.WeightDtype;
import dev.llmlab.remote.OpenAiEndpoint;
import dev.llmlab.system.LocalSystemSource;
import dev.llmlab.system.MemoryCheck;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Which model to load and how: shared by every command that runs a model. */
final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", paramLabel = "REF", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "A .gguf file, a directory, a hub id, or (run, generate) an OpenAI-compatible "
                    + "server as openai:http://host:port/v1#model (default: ${DEFAULT-VALUE}); experiments that "
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

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "auto", converter = DtypeConverter.class,
            description = "Weight type at load: auto (Hugging Face checkpoints over 1B parameters as Q8_0, "
                    + "everything else as stored), f32, f16, bf16, q8_0, q4_0 (default: ${DEFAULT-VALUE}).")
    WeightDtype dtype = WeightDtype.AUTO;

    /** {@code --dtype} text to a {@link WeightDtype}; a bad value is a usage error (exit 2). */
    static final class DtypeConverter implements CommandLine.ITypeConverter<WeightDtype> {
        @Override
        public WeightDtype convert(String value) {
            try {
                return WeightDtype.parse(value);
            } catch (InvalidRequestException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The one {@code --model} of commands that take one, local or remote; several are refused, not ignored. */
    String single() {
        if (models.size() > 1) {
            throw new InvalidRequestException("this command takes one --model, got " + models.size() + ": "
                    + String.join(", ", models) + "; to compare models, use `llmlab run model-comparison`");
        }
        return models.getFirst();
    }

    /** The one model of commands that take one. */
    ModelRef ref() {
        String model = single();
        if (OpenAiEndpoint.isRef(model)) {
            throw new UnsupportedModelException("'" + model + "' is a remote model: this command runs the local "
                    + "engine; remote models work with `llmlab run`, `llmlab generate` and `llmlab chat`");
        }
        return ModelRef.parse(model);
    }

    /** The model file, found through the resolver (the model search path, the cache). */
    Path resolve(ModelResolver resolver) {
        return resolver.resolve(ref());
    }

    /**
     * Resolves and loads the model with {@code options} (usually {@link #loadOptions()}), after checking from its
     * header that it fits this machine (a model that does not is refused with the estimate, before loading).
     */
    LocalModel load(ModelResolver resolver, LoadOptions options) {
        return loadChecked(resolve(resolver), options);
    }

    /** The selected models, resolved through {@code resolver} and loaded after the same memory check. */
    LocalModelSource source(ModelResolver resolver, LoadOptions options, Consumer<ModelInfo> onLoaded) {
        return source(models, resolver, options, onLoaded);
    }

    static LocalModelSource source(List<String> refs, ModelResolver resolver, LoadOptions options,
                                   Consumer<ModelInfo> onLoaded) {
        return new LocalModelSource(refs, ref -> resolver.resolve(ModelRef.parse(ref)), options, onLoaded,
                ModelOptions::loadChecked);
    }

    /** Loads {@code path} after checking from its header that it fits this machine (refused with the estimate). */
    static LocalModel loadChecked(Path path, LoadOptions options) {
        new MemoryCheck(new LocalSystemSource(Duration.ofSeconds(5)), ArchitectureRegistry.defaults())
                .requireFits(path, options);
        return LocalModel.load(path, options);
    }

    LoadOptions loadOptions() {
        if (threads < 1) {
            throw new CommandLine.ParameterException(command.commandLine(), "--threads must be at least 1, got "
                    + threads + " (default: all processors)");
        }
        LoadOptions options = LoadOptions.defaults()
                .withLoadMode(mmap ? LoadMode.MMAP : LoadMode.READ)
                .withThreads(threads)
                .withDtype(dtype);
        return context == null ? options : options.withContextLength(context);
    }
}
