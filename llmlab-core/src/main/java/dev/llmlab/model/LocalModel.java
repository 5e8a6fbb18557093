package dev.llmlab.model;

import dev.llmlab.chat.ChatTemplate;
import dev.llmlab.chat.ChatTemplates;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.hf.HfCheckpoint;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;
import dev.llmlab.tokenizer.hf.HfTokenizerLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A model loaded from a file (GGUF) or a Hugging Face checkpoint directory and ready to run: weights, tokenizer,
 * threads. Immutable and shareable; each conversation takes a {@link Session}. Closing releases the memory.
 */
public final class LocalModel implements AutoCloseable {
    /** Sessions allocate at most this many tokens of KV cache unless asked for more. */
    public static final int DEFAULT_MAX_CONTEXT = 4096;

    private final LoadedTransformer loaded;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ModelInfo info;
    private final ChatTemplate chatTemplate;
    private final GenerationDefaults generationDefaults;

    private LocalModel(LoadedTransformer loaded, Tokenizer tokenizer, ModelInfo info, ChatTemplate chatTemplate,
                       GenerationDefaults generationDefaults) {
        this.loaded = loaded;
        this.transformer = loaded.transformer();
        this.tokenizer = tokenizer;
        this.info = info;
        this.chatTemplate = chatTemplate;
        this.generationDefaults = generationDefaults;
    }

    public static LocalModel load(Path path, LoadOptions options) {
        return load(path, options, ArchitectureRegistry.defaults());
    }

    /** Loads a GGUF file, or a directory with a Hugging Face {@code config.json} and safetensors weights. */
    public static LocalModel load(Path path, LoadOptions options, ArchitectureRegistry architectures) {
        long start = System.nanoTime();
        return load(openCheckpoint(path, options, architectures), path, options, start);
    }

    /**
     * A GGUF model held in memory (e.g. just quantized), without writing a file: its tensors are used in place. The
     * model's segments must stay valid while this model is used.
     */
    public static LocalModel load(GgufModel model, LoadOptions options) {
        long start = System.nanoTime();
        GgufFile view = GgufFile.of(model);
        return load(GgufCheckpoint.of(view, ArchitectureRegistry.defaults()), view.path(), options, start);
    }

    private static LocalModel load(Checkpoint opened, Path path, LoadOptions options, long start) {
        LoadedTransformer loaded = LoadedTransformer.load(opened, options);
        try {
            Checkpoint checkpoint = loaded.checkpoint();
            ModelConfig config = checkpoint.config();
            Tokenizer tokenizer = checkpoint instanceof GgufCheckpoint gguf
                    ? GgufTokenizerLoader.load(gguf.file().metadata())
                    : HfTokenizerLoader.load(checkpoint.path());
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new ModelFormatException(path + ": the tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the embedding only " + config.vocabSize() + " rows");
            }
            int context = options.contextLength() > 0 ? options.contextLength()
                    : Math.min(config.contextLength(), DEFAULT_MAX_CONTEXT);
            ModelInfo info = new ModelInfo(checkpoint.name(), config.architecture(), path, checkpoint.sizeBytes(),
                    loaded.parameterCount(), loaded.tensorTypes(), context, config.contextLength(),
                    options.loadMode(), Duration.ofNanos(System.nanoTime() - start), options.threads(),
                    options.kernels().name(), loaded.plan().reason());
            ChatTemplate chat = (checkpoint instanceof GgufCheckpoint gguf
                    ? ChatTemplates.fromGguf(gguf.file().metadata())
                    : ChatTemplates.fromHfDirectory(checkpoint.path())).orElseGet(ChatTemplates::chatMl);
            GenerationDefaults defaults = checkpoint instanceof GgufCheckpoint gguf
                    ? GenerationDefaults.read(gguf.file().metadata()) : GenerationDefaults.NONE;
            return new LocalModel(loaded, tokenizer, info, chat, defaults);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** A GGUF file or a Hugging Face checkpoint directory, opened for loading. */
    public static Checkpoint openCheckpoint(Path path, LoadOptions options, ArchitectureRegistry architectures) {
        return Files.isDirectory(path)
                ? HfCheckpoint.open(path, options.loadMode(), architectures)
                : GgufCheckpoint.open(path, options.loadMode(), architectures);
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

    /** The model's chat template, or llama.cpp's ChatML fallback when it has none (see its {@code source()}). */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** The generation defaults the model carries ({@code llmlab.generation.*} metadata), used when not given. */
    public GenerationDefaults generationDefaults() {
        return generationDefaults;
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
        loaded.close();
    }
}
