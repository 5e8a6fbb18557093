package dev.llmlab.gguf;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes GGUF v3 files that llmlab and llama.cpp load. Built once from metadata (kept in insertion order) and tensor
 * specs, then {@link #write(Path)} streams each tensor's bytes from its {@link TensorSource} straight into the
 * output file, so models of any size are written without holding them in memory.
 *
 * <p>The file is written to a temporary file next to the target and moved over it atomically only once complete;
 * a failed write leaves the target untouched and no temporary file behind.
 */
public final class GgufWriter {
    public static final int DEFAULT_ALIGNMENT = GgufReader.DEFAULT_ALIGNMENT;
    /** llama.cpp's GGML_MAX_NAME is 64 including the terminating NUL. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;
    /** llama.cpp's GGML_MAX_DIMS. */
    public static final int MAX_DIMS = 4;

    private final Map<String, GgufValue> metadata;
    private final List<TensorSpec> tensors;
    private final int alignment;
    private final long[] offsets;
    private final byte[] header;
    private final long dataSectionOffset;
    private final long fileSizeBytes;

    /**
     * One tensor to write.
     *
     * @param shape  dimensions in GGML order: {@code shape[0]} is the row length and must be a multiple of the type's
     *               block size
     * @param source produces the tensor's bytes when the file is written
     */
    public record TensorSpec(String name, GgmlType type, long[] shape, TensorSource source) {
        public TensorSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(source, "source");
            shape = shape.clone();
            int nameBytes = GgufEncoder.utf8(name, "tensor name '" + name + "'").length;
            if (nameBytes > MAX_TENSOR_NAME_BYTES) {
                throw new InvalidRequestException("tensor name '" + name + "' is " + nameBytes
                        + " bytes; GGUF readers accept at most " + MAX_TENSOR_NAME_BYTES);
            }
            if (shape.length < 1 || shape.length > MAX_DIMS) {
                throw new InvalidRequestException("tensor '" + name + "' has " + shape.length
                        + " dimensions; GGUF allows 1 to " + MAX_DIMS);
            }
            long elements = 1;
            for (long d : shape) {
                if (d < 0 || (d > 0 && elements > Long.MAX_VALUE / 8 / d)) {
                    throw new InvalidRequestException("tensor '" + name + "' has an impossible shape "
                            + Arrays.toString(shape));
                }
                elements *= d;
            }
            if (shape[0] % type.blockSize() != 0) {
                throw new InvalidRequestException("tensor '" + name + "' row length " + shape[0]
                        + " is not a multiple of the " + type + " block size " + type.blockSize()
                        + "; use a type with a smaller block (e.g. F16) for this tensor");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public long sizeBytes() {
            return type.bytesFor(elementCount());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorSpec t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                    && source.equals(t.source);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + " " + type + " " + Arrays.toString(shape);
        }
    }

    /** Told after each tensor is written, e.g. to draw a progress bar. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (tensor, bytesWritten, totalBytes) -> { };

        void tensorWritten(TensorSpec tensor, long bytesWritten, long totalBytes);
    }

    private GgufWriter(Map<String, GgufValue> metadata, List<TensorSpec> tensors) {
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.tensors = List.copyOf(tensors);
        this.alignment = alignmentOf(metadata);
        this.offsets = new long[tensors.size()];
        long dataBytes = 0;
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i] = dataBytes;
            dataBytes = align(Math.addExact(dataBytes, tensors.get(i).sizeBytes()), alignment);
        }
        this.header = GgufEncoder.header(this.metadata, this.tensors, offsets);
        this.dataSectionOffset = align(header.length, alignment);
        this.fileSizeBytes = Math.addExact(dataSectionOffset, dataBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    public List<TensorSpec> tensors() {
        return tensors;
    }

    public int alignment() {
        return alignment;
    }

    /** Where tensor data begins in the file (the header padded to the alignment). */
    public long dataSectionOffset() {
        return dataSectionOffset;
    }

    /** The size of the file {@link #write} produces. */
    public long fileSizeBytes() {
        return fileSizeBytes;
    }

    /** Writes the file, replacing {@code target} atomically once it is complete. */
    public void write(Path target) {
        write(target, Progress.NONE);
    }

    /** Writes the file, telling {@code progress} after each tensor. */
    public void write(Path target, Progress progress) {
        Path absolute = target.toAbsolutePath();
        Path temp;
        try {
            Files.createDirectories(absolute.getParent());
            temp = AtomicFiles.createSiblingTempFile(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }
        try {
            writeContents(temp, progress);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            deleteAfterFailure(temp, e);
            throw new UncheckedIOException("cannot move the finished " + temp + " over " + target
                    + " atomically (" + e.getMessage() + "); write to a local file system", e);
        } catch (IOException e) {
            deleteAfterFailure(temp, e);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
    }

    private static void deleteAfterFailure(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException deleteFailure) {
            failure.addSuppressed(deleteFailure);
        }
    }

    private void writeContents(Path temp, Progress progress) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(header), 0);
            long totalBytes = fileSizeBytes - dataSectionOffset;
            for (int i = 0; i < tensors.size(); i++) {
                TensorSpec t = tensors.get(i);
                long size = t.sizeBytes();
                if (size > 0) {
                    // Mapping the region extends the file; gaps (padding) read as zeros. A shared arena lets the
                    // source fill its region from several threads; closing it unmaps the region right away.
                    try (Arena arena = Arena.ofShared()) {
                        MemorySegment region = channel.map(FileChannel.MapMode.READ_WRITE,
                                dataSectionOffset + offsets[i], size, arena);
                        t.source().fill(region);
                    }
                }
                long written = i + 1 < tensors.size() ? offsets[i + 1] : totalBytes;
                progress.tensorWritten(t, written, totalBytes);
            }
            long end = channel.size();
            if (end < fileSizeBytes) {
                writeFully(channel, ByteBuffer.allocate((int) (fileSizeBytes - end)), end); // tail padding
            }
            // On Linux fsync also flushes pages dirtied through the (now unmapped) mappings.
            channel.force(true);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private static int alignmentOf(Map<String, GgufValue> metadata) {
        GgufValue v = metadata.get(GgufReader.ALIGNMENT_KEY);
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        // llama.cpp insists on UINT32 for this key.
        if (v.type() != GgufValueType.UINT32 || !(v.value() instanceof Long a)
                || a <= 0 || a > GgufReader.MAX_ALIGNMENT || Long.bitCount(a) != 1) {
            throw new InvalidRequestException("metadata '" + GgufReader.ALIGNMENT_KEY + "' = " + v
                    + " must be a UINT32 power of two between 1 and " + GgufReader.MAX_ALIGNMENT);
        }
        return a.intValue();
    }

    private static long align(long offset, int alignment) {
        return Math.addExact(offset, alignment - 1) / alignment * alignment;
    }

    /** Collects metadata (insertion order kept; re-putting a key keeps its place) and tensors. */
    public static final class Builder {
        private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
        private final List<TensorSpec> tensors = new ArrayList<>();
        private final Set<String> tensorNames = new HashSet<>();

        private Builder() {
        }

        public Builder put(String key, GgufValue value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            int keyBytes = GgufEncoder.utf8(key, "metadata key '" + key + "'").length;
            if (keyBytes > GgufReader.MAX_KEY_BYTES) {
                throw new InvalidRequestException("metadata key of " + keyBytes + " bytes is too long (at most "
                        + GgufReader.MAX_KEY_BYTES + ")");
            }
            GgufEncoder.check(key, value);
            metadata.put(key, value);
            return this;
        }

        /** Copies entries, e.g. a source file's metadata for a quantizer; later puts override them. */
        public Builder putAll(Map<String, GgufValue> entries) {
            entries.forEach(this::put);
            return this;
        }

        public Builder remove(String key) {
            metadata.remove(key);
            return this;
        }

        public Builder putString(String key, String value) {
            return put(key, GgufValue.ofString(value));
        }

        public Builder putUint32(String key, long value) {
            return put(key, GgufValue.ofUint32(value));
        }

        public Builder putInt32(String key, int value) {
            return put(key, GgufValue.ofInt32(value));
        }

        public Builder putUint64(String key, long value) {
            return put(key, GgufValue.ofUint64(value));
        }

        public Builder putFloat32(String key, float value) {
            return put(key, GgufValue.ofFloat32(value));
        }

        public Builder putBool(String key, boolean value) {
            return put(key, GgufValue.ofBool(value));
        }

        public Builder putStrings(String key, List<String> values) {
            return put(key, GgufValue.ofStrings(values));
        }

        public Builder putFloats(String key, float[] values) {
            return put(key, GgufValue.ofFloats(values));
        }

        public Builder putInts(String key, GgufValueType elementType, long[] values) {
            return put(key, GgufValue.ofInts(elementType, values));
        }

        /** Sets {@code general.alignment} (default 32): tensor data offsets are multiples of it. */
        public Builder alignment(int alignment) {
            return put(GgufReader.ALIGNMENT_KEY, GgufValue.ofUint32(alignment));
        }

        public Builder tensor(String name, GgmlType type, long[] shape, TensorSource source) {
            return tensor(new TensorSpec(name, type, shape, source));
        }

        public Builder tensor(TensorSpec spec) {
            if (!tensorNames.add(spec.name())) {
                throw new InvalidRequestException("tensor '" + spec.name() + "' is added twice");
            }
            tensors.add(spec);
            return this;
        }

        public GgufWriter build() {
            return new GgufWriter(metadata, tensors);
        }
    }
}
