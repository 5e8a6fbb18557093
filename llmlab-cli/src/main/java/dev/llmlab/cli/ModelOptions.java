package dev.llmlab.cli;

import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.ModelResolver;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.system.LocalSystemSource;
import dev.llmlab.system.MemoryCheck;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.model.WeightDtype;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Which model to load and how: shared by every command that runs a model. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "REF", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "A .gguf file, a directory or a hub id (default: ${DEFAULT-VALUE}).")
    String model;

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

    ModelRef ref() {
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
        Path path = resolve(resolver);
        new MemoryCheck(new LocalSystemSource(Duration.ofSeconds(5)), ArchitectureRegistry.defaults())
                .requireFits(path, options);
        return LocalModel.load(path, options);
    }

    LoadOptions loadOptions() {
        LoadOptions options = LoadOptions.defaults()
                .withLoadMode(mmap ? LoadMode.MMAP : LoadMode.READ)
                .withThreads(threads)
                .withDtype(dtype);
        return context == null ? options : options.withContextLength(context);
    }
}
