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
 */
public final class GgufFile implements AutoCloseable {
    private final FileData data;
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

    public Path path() {
        return data.path();
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
        return data.mode();
    }

    public long fileSizeBytes() {
        return data.sizeBytes();
    }

    /** The bytes of one tensor, a slice of the file (no copy). */
    public MemorySegment tensorData(GgufTensorInfo info) {
        return data.segment().asSlice(dataSectionOffset + info.dataOffset(), info.sizeBytes());
    }

    public MemorySegment tensorData(String name) {
        GgufTensorInfo info = tensor(name).orElseThrow(() -> new ModelFormatException(
                path() + ": tensor '" + name + "' is missing"));
        return tensorData(info);
    }

    @Override
    public void close() {
        data.close();
    }
}
