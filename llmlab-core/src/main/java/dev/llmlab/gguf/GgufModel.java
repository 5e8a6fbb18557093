package dev.llmlab.gguf;

import dev.llmlab.error.InvalidRequestException;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A model as GGUF content, held as a value: metadata (in order) and tensors (in order) whose bytes are
 * {@link MemorySegment}s. Model modifiers (quantize, drop layers, ...) take one and return a new one, sharing the
 * segments of the tensors they do not change. It can be written ({@link #write}) or loaded by the engine directly
 * ({@code LocalModel.load(GgufModel, LoadOptions)}).
 *
 * <p>Segments taken from a {@link GgufFile} ({@link #of}) stay valid while that file is open; segments a modifier
 * allocates belong to the garbage collector.
 *
 * @param source   where the model came from and what was done to it, for messages (e.g. a file name)
 * @param metadata key/value metadata in file order
 * @param tensors  tensors in file order, names unique
 */
public record GgufModel(String source, Map<String, GgufValue> metadata, List<Tensor> tensors) {

    public GgufModel {
        Objects.requireNonNull(source, "source");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            if (!names.add(t.name())) {
                throw new InvalidRequestException(source + ": tensor '" + t.name() + "' appears twice");
            }
        }
    }

    /**
     * One tensor.
     *
     * @param shape dimensions in GGML order ({@code shape[0]} is the row length)
     * @param data  exactly the tensor's bytes in {@code type}'s layout
     */
    public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
            shape = shape.clone();
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            if (shape.length == 0 || shape[0] % type.blockSize() != 0) {
                throw new InvalidRequestException("tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " does not fit " + type + " blocks of " + type.blockSize());
            }
            if (data.byteSize() != type.bytesFor(elements)) {
                throw new InvalidRequestException("tensor '" + name + "' holds " + data.byteSize() + " bytes; "
                        + type + " " + Arrays.toString(shape) + " needs " + type.bytesFor(elements));
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long rowLength() {
            return shape[0];
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The same tensor with other bytes (and type). */
        public Tensor withData(GgmlType newType, MemorySegment newData) {
            return new Tensor(name, newType, shape, newData);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                    && data.equals(t.data);
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

    /** The file's metadata and tensors, as views of its memory (no copies; valid while the file is open). */
    public static GgufModel of(GgufFile file) {
        List<Tensor> tensors = new ArrayList<>(file.tensors().size());
        for (GgufTensorInfo info : file.tensors().values()) {
            tensors.add(new Tensor(info.name(), info.type(), info.shape(), file.tensorData(info)));
        }
        return new GgufModel(file.path().getFileName().toString(), file.metadata().entries(), tensors);
    }

    public Optional<Tensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** A model with other metadata and the same tensors. */
    public GgufModel withMetadata(Map<String, GgufValue> newMetadata) {
        return new GgufModel(source, newMetadata, tensors);
    }

    /** A model with other tensors and the same metadata. */
    public GgufModel withTensors(String newSource, List<Tensor> newTensors) {
        return new GgufModel(newSource, metadata, newTensors);
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.elementCount();
        }
        return n;
    }

    /** A writer for this model (its file size is known before writing). */
    public GgufWriter writer() {
        GgufWriter.Builder b = GgufWriter.builder().putAll(metadata);
        for (Tensor t : tensors) {
            b.tensor(t.name(), t.type(), t.shape(), TensorSource.copyOf(t.data()));
        }
        return b.build();
    }

    /** Writes the model as a GGUF file, atomically (temporary file, then rename). */
    public void write(Path target, GgufWriter.Progress progress) {
        writer().write(target, progress);
    }
}
