package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;

import java.nio.file.Path;

/** A GGUF model file as a {@link Checkpoint}: llama.cpp's tensor names, hyper-parameters from the metadata. */
public final class GgufCheckpoint implements Checkpoint {
    private final GgufFile file;
    private final Architecture architecture;
    private final GgufModelLoader loader;
    private final ModelConfig config;

    private GgufCheckpoint(GgufFile file, Architecture architecture) {
        this.file = file;
        this.architecture = architecture;
        this.loader = new GgufModelLoader(file, architecture);
        this.config = loader.config();
    }

    public static GgufCheckpoint open(Path path, LoadMode mode, ArchitectureRegistry architectures) {
        return of(GgufFile.open(path, mode), architectures);
    }

    /** An opened GGUF file (or a model in memory, {@link GgufFile#of}); takes ownership of it. */
    public static GgufCheckpoint of(GgufFile file, ArchitectureRegistry architectures) {
        Path path = file.path();
        try {
            String archName = file.metadata().optString("general.architecture").orElseThrow(() ->
                    new ModelFormatException(path + ": no 'general.architecture' in the metadata; this GGUF "
                            + "holds no model (a vocabulary-only file?)"));
            if (file.tensors().isEmpty()) {
                throw new ModelFormatException(path + ": holds no weights, only metadata (a vocabulary-only file?); "
                        + "it works with `llmlab tokenize`, generation needs a model file");
            }
            return new GgufCheckpoint(file, architectures.find(archName, path.toString()));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public GgufFile file() {
        return file;
    }

    @Override
    public String name() {
        return file.metadata().optString("general.name").filter(s -> !s.isBlank())
                .orElse(file.path().getFileName().toString());
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public long sizeBytes() {
        return file.fileSizeBytes();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public TensorStore tensors() {
        return loader;
    }

    @Override
    public TensorNaming naming() {
        return TensorNaming.GGUF;
    }

    @Override
    public boolean quantizeWhenLarge() {
        return false;
    }

    @Override
    public void close() {
        file.close();
    }
}
