package dev.llmlab.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.io.FileData;
import dev.llmlab.io.LoadMode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the data. Every range is checked against the file size and against shape x dtype, and
 * the ranges must tile the data section without overlaps or holes (as the reference implementation requires).
 * Tensor data are slices of the file (mapped or read, per {@link LoadMode}), never copies.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation's limit on the header size. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final FileData data;
    private final long dataOffset;
    private final Map<String, SafetensorsTensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(FileData data, long dataOffset, Map<String, SafetensorsTensor> tensors,
                            Map<String, String> metadata) {
        this.data = data;
        this.dataOffset = dataOffset;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public static SafetensorsFile open(Path path, LoadMode mode) {
        FileData data = FileData.open(path, mode);
        try {
            return parse(data);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(FileData data) {
        Path path = data.path();
        MemorySegment bytes = data.segment();
        long size = bytes.byteSize();
        if (size < 8) {
            throw new ModelFormatException(path + ": " + size + " bytes is too short for a safetensors file "
                    + "(an 8-byte header length comes first); the file is truncated or not safetensors");
        }
        long headerLength = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw new ModelFormatException(path + ": header length " + Long.toUnsignedString(headerLength)
                    + " is impossible for a file of " + size + " bytes (at most " + MAX_HEADER_BYTES
                    + "); the file is truncated or not safetensors");
        }
        byte[] header = bytes.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(header)).toString();
            root = JSON.readTree(text);
        } catch (CharacterCodingException | JacksonException e) {
            throw new ModelFormatException(path + ": the header is not valid UTF-8 JSON (" + firstLine(e)
                    + "); the file is damaged or not safetensors");
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(path + ": the header is not a JSON object; the file is damaged or not "
                    + "safetensors");
        }
        long dataOffset = 8 + headerLength;
        long dataSize = size - dataOffset;
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                readMetadata(path, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), tensor(path, e.getKey(), e.getValue(), dataSize));
            }
        }
        checkTiling(path, tensors, dataSize);
        return new SafetensorsFile(data, dataOffset, tensors, metadata);
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new ModelFormatException(path + ": '__metadata__' must be an object of strings");
        }
        node.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(path + ": '__metadata__." + e.getKey() + "' must be a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        });
    }

    private static SafetensorsTensor tensor(Path path, String name, JsonNode node, long dataSize) {
        String where = path + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new ModelFormatException(where + ": expected an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelFormatException(where + ": 'dtype' is missing or not a string");
        }
        SafetensorsDtype dtype = SafetensorsDtype.byName(dtypeNode.asText()).orElseThrow(() ->
                new UnsupportedModelException(where + " has dtype " + dtypeNode.asText()
                        + ", which llmlab cannot load; supported: F32, F16, BF16"));
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > 8) {
            throw new ModelFormatException(where + ": 'shape' is missing or not an array of at most 8 sizes");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new ModelFormatException(where + ": shape " + shapeNode + " has an invalid size " + d);
            }
            shape[i] = d.asLong();
            if (shape[i] != 0 && elements > Long.MAX_VALUE / 8 / shape[i]) {
                throw new ModelFormatException(where + ": shape " + shapeNode + " is impossibly large");
            }
            elements *= shape[i];
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelFormatException(where + ": 'data_offsets' must be [begin, end]");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] lie outside the " + dataSize + " bytes of data; the file is truncated or damaged");
        }
        long expected = elements * dtype.bytes();
        if (end - begin != expected) {
            throw new ModelFormatException(where + ": " + (end - begin) + " bytes of data for shape "
                    + shapeNode + " of " + dtype + ", expected " + expected);
        }
        return new SafetensorsTensor(name, dtype, shape, begin, end);
    }

    /** The data ranges must cover the data section exactly once: no overlap, no hole, nothing after. */
    private static void checkTiling(Path path, Map<String, SafetensorsTensor> tensors, long dataSize) {
        List<SafetensorsTensor> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        long at = 0;
        String previous = null;
        for (SafetensorsTensor t : sorted) {
            if (t.begin() < at) {
                throw new ModelFormatException(path + ": tensor '" + t.name() + "' data [" + t.begin() + ", "
                        + t.end() + ") overlaps tensor '" + previous + "' (ends at " + at + "); the file is damaged");
            }
            if (t.begin() > at) {
                throw new ModelFormatException(path + ": bytes [" + at + ", " + t.begin() + ") before tensor '"
                        + t.name() + "' belong to no tensor; the file is damaged");
            }
            at = t.end();
            previous = t.name();
        }
        if (at != dataSize) {
            throw new ModelFormatException(path + ": the header describes " + at + " bytes of data but the file "
                    + "holds " + dataSize + "; the file is damaged or has trailing bytes");
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    public Path path() {
        return data.path();
    }

    public long sizeBytes() {
        return data.sizeBytes();
    }

    /** Tensors by name, in header order. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    public Optional<SafetensorsTensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The bytes of one tensor of this file (a slice, no copy). */
    public MemorySegment data(SafetensorsTensor tensor) {
        return data.segment().asSlice(dataOffset + tensor.begin(), tensor.sizeBytes());
    }

    @Override
    public void close() {
        data.close();
    }
}
