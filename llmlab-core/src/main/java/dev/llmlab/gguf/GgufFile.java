package dev.llmlab.gguf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.io.FileData;
import dev.llmlab.io.LoadMode;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An opened GGUF file: its header, metadata, tensor directory and tensor data (mapped or in memory).
 * Tensor views are slices of one segment, never copies. Close it to release the memory.
 *
 * <p>{@link #of(GgufModel)} presents a model held in memory the same way, so the engine loads it without a file.
 */
public final class GgufFile implements AutoCloseable {
    private final FileData data;
    /** For a model held in memory (then {@link #data} is null): its label, size and tensor bytes by name. */
    private final Path memoryLabel;
    private final long memorySizeBytes;
    private final Map<String, MemorySegment> memoryTensors;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final int alignment;
    private final long dataSectionOffset;

    GgufFile(FileData data, int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, int alignment,
             long dataSectionOffset) {
        this.data = data;
        this.version = version;
        this.metadata = metadata;
        Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
        for (GgufTensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
        this.tensors = Collections.unmodifiableMap(byName);
        this.alignment = alignment;
        this.dataSectionOffset = dataSectionOffset;
        this.memoryLabel = null;
        this.memorySizeBytes = 0;
        this.memoryTensors = null;
    }

    private GgufFile(GgufModel model, GgufWriter layout) {
        this.data = null;
        this.version = 3;
        this.metadata = new GgufMetadata(model.source(), model.metadata());
        Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
        Map<String, MemorySegment> bytes = new LinkedHashMap<>();
        long offset = 0;
        for (GgufModel.Tensor t : model.tensors()) {
            byName.put(t.name(), new GgufTensorInfo(t.name(), t.shape(), t.type(), offset));
            bytes.put(t.name(), t.data());
            offset = Math.addExact(offset, t.data().byteSize() + layout.alignment() - 1) / layout.alignment()
                    * layout.alignment();
        }
        this.tensors = Collections.unmodifiableMap(byName);
        this.alignment = layout.alignment();
        this.dataSectionOffset = layout.dataSectionOffset();
        this.memoryLabel = Path.of(model.source());
        this.memorySizeBytes = layout.fileSizeBytes();
        this.memoryTensors = bytes;
    }

    /**
     * A model held in memory, seen as the file it would be written as (same directory and sizes); its tensor bytes
     * are the model's segments, not copies. Closing it releases nothing: the segments belong to the model.
     */
    public static GgufFile of(GgufModel model) {
        return new GgufFile(model, model.writer());
    }

    /** Opens and validates a GGUF file. */
    public static GgufFile open(Path path, LoadMode mode) {
        FileData data = FileData.open(path, mode);
        try {
            return GgufReader.parse(data);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** The file, or for a model held in memory a label naming it. */
    public Path path() {
        return data != null ? data.path() : memoryLabel;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensor infos by name, in file order. */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public int alignment() {
        return alignment;
    }

    public long dataSectionOffset() {
        return dataSectionOffset;
    }

    public LoadMode loadMode() {
        return data != null ? data.mode() : LoadMode.READ;
    }

    public long fileSizeBytes() {
        return data != null ? data.sizeBytes() : memorySizeBytes;
    }

    /** The bytes of one tensor, a slice of the file (no copy). */
    public MemorySegment tensorData(GgufTensorInfo info) {
        if (data == null) {
            MemorySegment bytes = memoryTensors.get(info.name());
            if (bytes == null) {
                throw new ModelFormatException(memoryLabel + ": tensor '" + info.name() + "' is missing");
            }
            return bytes;
        }
        return data.segment().asSlice(dataSectionOffset + info.dataOffset(), info.sizeBytes());
    }

    public MemorySegment tensorData(String name) {
        GgufTensorInfo info = tensor(name).orElseThrow(() -> new ModelFormatException(
                path() + ": tensor '" + name + "' is missing"));
        return tensorData(info);
    }

    @Override
    public void close() {
        if (data != null) {
            data.close();
        }
    }
}
