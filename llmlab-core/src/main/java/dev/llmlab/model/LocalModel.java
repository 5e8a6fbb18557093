package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A model loaded from a file and ready to run: weights, tokenizer, threads. Immutable and shareable; each
 * conversation takes a {@link Session}. Closing releases the file's memory.
 */
public final class LocalModel implements AutoCloseable {
    /** Sessions allocate at most this many tokens of KV cache unless asked for more. */
    public static final int DEFAULT_MAX_CONTEXT = 4096;

    private final GgufFile file;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ComputePool pool;
    private final ModelInfo info;

    private LocalModel(GgufFile file, Transformer transformer, Tokenizer tokenizer, ComputePool pool, ModelInfo info) {
        this.file = file;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.info = info;
    }

    public static LocalModel load(Path path, LoadOptions options) {
        return load(path, options, ArchitectureRegistry.defaults());
    }

    public static LocalModel load(Path path, LoadOptions options, ArchitectureRegistry architectures) {
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(path, options.loadMode());
        ComputePool pool = null;
        try {
            Architecture arch = architectureOf(file, architectures);
            String archName = file.metadata().optString("general.architecture").orElse(arch.name());
            GgufModelLoader loader = new GgufModelLoader(file, arch, options.kernels());
            ModelConfig config = loader.config();
            TransformerWeights weights = loader.weights(config);
            Tokenizer tokenizer = GgufTokenizerLoader.load(file.metadata());
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new ModelFormatException(path + ": the tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the embedding only " + config.vocabSize() + " rows");
            }
            pool = ComputePool.ofThreads(options.threads());
            int context = options.contextLength() > 0 ? options.contextLength()
                    : Math.min(config.contextLength(), DEFAULT_MAX_CONTEXT);
            Map<GgmlType, Integer> types = new EnumMap<>(GgmlType.class);
            long parameters = 0;
            for (GgufTensorInfo t : file.tensors().values()) {
                types.merge(t.type(), 1, Integer::sum);
                parameters += t.elementCount();
            }
            String name = file.metadata().optString("general.name").filter(s -> !s.isBlank())
                    .orElse(path.getFileName().toString());
            ModelInfo info = new ModelInfo(name, archName, path, file.fileSizeBytes(), parameters, types, context,
                    config.contextLength(), options.loadMode(), Duration.ofNanos(System.nanoTime() - start),
                    options.threads(), options.kernels().name());
            return new LocalModel(file, new Transformer(config, weights, pool, options.kernels().ops()), tokenizer, pool, info);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            file.close();
            throw e;
        }
    }

    /**
     * The hyper-parameters a GGUF file describes, from its header alone (no weight is read): what memory
     * estimates start from.
     */
    public static ModelConfig readConfig(GgufFile file, ArchitectureRegistry architectures) {
        return new GgufModelLoader(file, architectureOf(file, architectures), KernelRegistry.scalar()).config();
    }

    private static Architecture architectureOf(GgufFile file, ArchitectureRegistry architectures) {
        Path path = file.path();
        String archName = file.metadata().optString("general.architecture").orElseThrow(() ->
                new ModelFormatException(path + ": no 'general.architecture' in the metadata; this GGUF "
                        + "holds no model (a vocabulary-only file?)"));
        if (file.tensors().isEmpty()) {
            throw new ModelFormatException(path + ": holds no weights, only metadata (a vocabulary-only file?); "
                    + "it works with `llmlab tokenize`, generation needs a model file");
        }
        return architectures.find(archName, path.toString());
    }

    public ModelInfo info() {
        return info;
    }

    public ModelConfig config() {
        return transformer.config();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Transformer transformer() {
        return transformer;
    }

    /** A new session with this model's context length. */
    public Session newSession() {
        return transformer.newSession(info.contextLength());
    }

    @Override
    public void close() {
        pool.close();
        file.close();
    }
}
