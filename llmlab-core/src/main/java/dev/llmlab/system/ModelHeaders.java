package dev.llmlab.system;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.hf.HfCheckpoint;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.GgufCheckpoint;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.StoredTensor;
import dev.llmlab.model.TensorNaming;
import dev.llmlab.model.TensorRole;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
                    measureHeap ? vocabulary : config.vocabSize(), retained, false, Set.of());
        }
    }

    /**
     * A Hugging Face checkpoint directory's headers: {@code config.json} and the safetensors headers (files are
     * mapped, tensor data never touched). Its tokenizer is not measured (0): this build cannot load
     * {@code tokenizer.json} yet.
     */
    public static ModelHeader huggingFace(Path directory, ArchitectureRegistry architectures) {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(directory, LoadMode.MMAP, architectures)) {
            List<GgufTensorInfo> tensors = new ArrayList<>();
            long tensorBytes = 0;
            for (StoredTensor t : checkpoint.all()) {
                GgufTensorInfo info = new GgufTensorInfo(t.name(), t.shape(), t.type(), 0);
                tensors.add(info);
                tensorBytes += info.sizeBytes();
            }
            ModelConfig config = checkpoint.config();
            TensorNaming naming = checkpoint.naming();
            Set<String> transposed = new HashSet<>();
            for (TensorRole role : TensorRole.values()) {
                if (naming.has(role) && naming.isTransposed(role)) {
                    for (int layer = -1; layer < config.blockCount(); layer++) {
                        String name = layer < 0 ? naming.name(role) : naming.name(role, layer);
                        transposed.add(name);
                    }
                }
            }
            return new ModelHeader(checkpoint.name(), directory.toString(), config, tensors,
                    checkpoint.sizeBytes() - tensorBytes, 1, checkpoint.sizeBytes(), config.vocabSize(), 0,
                    checkpoint.quantizeWhenLarge(), transposed);
        }
    }

    /** A GGUF file or a Hugging Face directory. */
    public static ModelHeader of(Path path, ArchitectureRegistry architectures, boolean measureHeap) {
        return Files.isDirectory(path) ? huggingFace(path, architectures) : gguf(path, architectures, measureHeap);
    }
}
