package dev.llmlab.system;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.GgufCheckpoint;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.List;

/** Reads a {@link ModelHeader} from a model file, touching only its header. */
public final class ModelHeaders {
    private ModelHeaders() {
    }

    /**
     * A GGUF file's header. The file is mapped, so only the pages of the header and metadata are read; the
     * tensor data is never touched. The heap that the metadata and tokenizer retain is measured while they are
     * built, as the engine builds them.
     */
    public static ModelHeader gguf(Path path, ArchitectureRegistry architectures) {
        return gguf(path, architectures, true);
    }

    /**
     * A GGUF file's header; with {@code measureHeap} false, the metadata and tokenizer heap is not measured (0),
     * which saves two full collections and building the tokenizer: enough for a pre-flight check.
     */
    public static ModelHeader gguf(Path path, ArchitectureRegistry architectures, boolean measureHeap) {
        long heapBefore = measureHeap ? HeapProbe.usedAfterCollection() : 0;
        try (GgufCheckpoint checkpoint = GgufCheckpoint.open(path, LoadMode.MMAP, architectures)) {
            GgufFile file = checkpoint.file();
            long retained = 0;
            int vocabulary = 0;
            if (measureHeap) {
                Tokenizer tokenizer = GgufTokenizerLoader.load(file.metadata());
                retained = Math.max(0, HeapProbe.usedAfterCollection() - heapBefore);
                vocabulary = tokenizer.vocabSize();
                Reference.reachabilityFence(tokenizer);
            }
            ModelConfig config = checkpoint.config();
            return new ModelHeader(checkpoint.name(), path.toString(), config, List.copyOf(file.tensors().values()),
                    file.dataSectionOffset(), file.alignment(), file.fileSizeBytes(),
                    measureHeap ? vocabulary : config.vocabSize(), retained);
        }
    }
}
