package dev.llmlab.gguf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.io.FileData;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the GGUF header (versions 2 and 3). Every length and count is checked against the bytes
 * that remain before anything is allocated, so a corrupt file fails with a message naming the file, the field and
 * the offset, never with an OutOfMemoryError or a hang.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    private static final int MAX_DIMS = 4;
    static final int MAX_ARRAY_NESTING = 4;
    /**
     * Metadata arrays are decoded to Java arrays (integers widen to long), so a corrupt length inside a large
     * file could ask for several times the file's size. Real vocabularies hold well under a million entries.
     */
    static final int MAX_ARRAY_LENGTH = 1 << 24;
    static final int MAX_KEY_BYTES = 65_535;
    static final int MAX_ALIGNMENT = 1 << 20;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final String source;
    private final MemorySegment seg;
    private final long size;
    private long pos;

    private GgufReader(String source, MemorySegment seg) {
        this.source = source;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    static GgufFile parse(FileData data) {
        return new GgufReader(data.path().toString(), data.segment()).read(data);
    }

    private GgufFile read(FileData data) {
        if (size < 4 || seg.get(I32, 0) != MAGIC) {
            throw error(0, "magic", "not a GGUF file (the first 4 bytes are not 'GGUF'); pass a .gguf model file");
        }
        pos = 4;
        int version = u32("version");
        if (version != 2 && version != 3) {
            throw error(4, "version", "GGUF version " + Integer.toUnsignedString(version)
                    + " is not supported (supported: 2, 3); re-convert the model with a current llama.cpp");
        }
        long tensorCountPos = pos;
        long tensorCount = u64("tensor_count");
        long kvCountPos = pos;
        long kvCount = u64("metadata_kv_count");
        // The smallest metadata entry is an empty key (8) + type (4) + a one-byte value.
        if (kvCount < 0 || kvCount > remaining() / 13) {
            throw error(kvCountPos, "metadata_kv_count", "count " + Long.toUnsignedString(kvCount)
                    + " is impossible for the " + remaining() + " bytes that follow");
        }
        Map<String, GgufValue> entries = new LinkedHashMap<>();
        long alignmentPos = -1;
        for (long i = 0; i < kvCount; i++) {
            long keyPos = pos;
            String key = string("metadata key #" + i, MAX_KEY_BYTES);
            long typePos = pos;
            GgufValueType type = valueType("type of '" + key + "'", typePos);
            GgufValue value = value(key, type, 0);
            if (entries.putIfAbsent(key, value) != null) {
                throw error(keyPos, "metadata key '" + key + "'", "duplicate key");
            }
            if (key.equals(ALIGNMENT_KEY)) {
                alignmentPos = keyPos;
            }
        }
        GgufMetadata metadata = new GgufMetadata(source, entries);
        int alignment = alignment(entries.get(ALIGNMENT_KEY), alignmentPos);

        // The smallest tensor info is an empty name (8) + n_dims (4) + one dim (8) + type (4) + offset (8).
        if (tensorCount < 0 || tensorCount > remaining() / 32) {
            throw error(tensorCountPos, "tensor_count", "count " + Long.toUnsignedString(tensorCount)
                    + " is impossible for the " + remaining() + " bytes that follow");
        }
        List<GgufTensorInfo> infos = new ArrayList<>((int) tensorCount);
        Set<String> names = new HashSet<>();
        long[] infoPositions = new long[(int) tensorCount];
        for (int i = 0; i < tensorCount; i++) {
            infoPositions[i] = pos;
            GgufTensorInfo info = tensorInfo(i, alignment);
            if (!names.add(info.name())) {
                throw error(infoPositions[i], "tensor '" + info.name() + "'", "duplicate tensor name");
            }
            infos.add(info);
        }
        long dataStart = infos.isEmpty() ? Math.min(align(pos, alignment), size) : align(pos, alignment);
        long dataBytes = size - dataStart;
        for (int i = 0; i < infos.size(); i++) {
            GgufTensorInfo t = infos.get(i);
            // Written as a subtraction: offset + size may overflow for a corrupt offset.
            if (dataStart > size || t.dataOffset() > dataBytes - t.sizeBytes()) {
                throw error(infoPositions[i], "tensor '" + t.name() + "'", "data at " + t.dataOffset() + " ("
                        + t.sizeBytes() + " bytes) lies beyond the end of the file (data section holds "
                        + Math.max(0, dataBytes) + " bytes); the file is truncated: download it again");
            }
        }
        return new GgufFile(data, version, metadata, infos, alignment, dataStart);
    }

    private int alignment(GgufValue value, long keyPos) {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(value.value() instanceof Long a) || a <= 0 || a > MAX_ALIGNMENT || Long.bitCount(a) != 1) {
            throw error(keyPos, "metadata '" + ALIGNMENT_KEY + "'", "value " + value + " (" + value.type()
                    + ") must be an integer power of two between 1 and " + MAX_ALIGNMENT);
        }
        return a.intValue();
    }

    private GgufTensorInfo tensorInfo(int index, int alignment) {
        long start = pos;
        String name = string("name of tensor #" + index, MAX_KEY_BYTES);
        String field = "tensor '" + name + "'";
        long dimsPos = pos;
        int nDims = u32(field + " n_dims");
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw error(dimsPos, field + " n_dims", "n_dims " + Integer.toUnsignedString(nDims)
                    + " is out of range 1.." + MAX_DIMS);
        }
        long[] shape = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dimPos = pos;
            shape[d] = u64(field + " dim " + d);
            if (shape[d] < 0 || (shape[d] != 0 && elements > Long.MAX_VALUE / 2 / shape[d])) {
                throw error(dimPos, field + " dim " + d, "dimension " + Long.toUnsignedString(shape[d])
                        + " is absurd");
            }
            elements *= shape[d];
        }
        long typePos = pos;
        int typeId = u32(field + " type");
        GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> error(typePos, field + " type",
                "unknown tensor type id " + Integer.toUnsignedString(typeId)
                        + "; the file may be newer than this llmlab, or corrupt"));
        if (shape[0] % type.blockSize() != 0) {
            throw error(dimsPos, field + " dim 0", "row length " + shape[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        long offsetPos = pos;
        long offset = u64(field + " offset");
        if (offset < 0 || offset % alignment != 0) {
            throw error(offsetPos, field + " offset", "offset " + Long.toUnsignedString(offset)
                    + " is negative or not a multiple of the alignment " + alignment);
        }
        // Compare in blocks first: the byte count of an absurd shape would overflow a long.
        if (elements / type.blockSize() > size / type.blockBytes() || type.bytesFor(elements) > size) {
            throw error(start, field, "shape " + Arrays.toString(shape) + " of " + type + " needs more"
                    + " bytes than the whole file holds (" + size + ")");
        }
        return new GgufTensorInfo(name, shape, type, offset);
    }

    private GgufValue value(String key, GgufValueType type, int depth) {
        String field = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> new GgufValue(type, null, (long) Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, take(1, field))));
            case INT8 -> new GgufValue(type, null, (long) seg.get(ValueLayout.JAVA_BYTE, take(1, field)));
            case UINT16 -> new GgufValue(type, null, (long) Short.toUnsignedInt(seg.get(I16, take(2, field))));
            case INT16 -> new GgufValue(type, null, (long) seg.get(I16, take(2, field)));
            case UINT32 -> new GgufValue(type, null, Integer.toUnsignedLong(seg.get(I32, take(4, field))));
            case INT32 -> new GgufValue(type, null, (long) seg.get(I32, take(4, field)));
            case UINT64, INT64 -> new GgufValue(type, null, seg.get(I64, take(8, field)));
            case FLOAT32 -> new GgufValue(type, null, seg.get(F32, take(4, field)));
            case FLOAT64 -> new GgufValue(type, null, seg.get(F64, take(8, field)));
            case BOOL -> new GgufValue(type, null, bool(field));
            case STRING -> new GgufValue(type, null, string(field, Integer.MAX_VALUE));
            case ARRAY -> array(key, depth);
        };
    }

    private GgufValue array(String key, int depth) {
        String field = "array '" + key + "'";
        long typePos = pos;
        GgufValueType elementType = valueType(field + " element type", typePos);
        if (elementType == GgufValueType.ARRAY && depth >= MAX_ARRAY_NESTING) {
            throw error(typePos, field, "arrays nested deeper than " + MAX_ARRAY_NESTING);
        }
        long countPos = pos;
        long count = u64(field + " length");
        if (count > MAX_ARRAY_LENGTH && count <= remaining() / elementType.minBytes()) {
            throw error(countPos, field + " length", "length " + count + " exceeds llmlab's limit of "
                    + MAX_ARRAY_LENGTH + " metadata array elements; the file is corrupt or not a model file");
        }
        if (count < 0 || count > remaining() / elementType.minBytes() || count > Integer.MAX_VALUE - 8) {
            throw error(countPos, field + " length", "length " + Long.toUnsignedString(count)
                    + " is impossible for the " + remaining() + " bytes that follow");
        }
        int n = (int) count;
        Object values = switch (elementType) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Long) value(key, elementType, depth).value();
                }
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                long at = take(4L * n, field);
                for (int i = 0; i < n; i++) {
                    a[i] = seg.get(F32, at + 4L * i);
                }
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                long at = take(8L * n, field);
                for (int i = 0; i < n; i++) {
                    a[i] = seg.get(F64, at + 8L * i);
                }
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = bool(field);
                }
                yield a;
            }
            case STRING -> {
                List<String> a = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    a.add(string(field + " element " + i, Integer.MAX_VALUE));
                }
                yield List.copyOf(a);
            }
            case ARRAY -> {
                List<GgufValue> a = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    a.add(array(key, depth + 1));
                }
                yield List.copyOf(a);
            }
        };
        return new GgufValue(GgufValueType.ARRAY, elementType, values);
    }

    private boolean bool(String field) {
        long at = take(1, field);
        byte b = seg.get(ValueLayout.JAVA_BYTE, at);
        if (b != 0 && b != 1) {
            throw error(at, field, "bool byte " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    private GgufValueType valueType(String field, long at) {
        int id = u32(field);
        return GgufValueType.byId(id).orElseThrow(() -> error(at, field, "unknown value type id "
                + Integer.toUnsignedString(id)));
    }

    private String string(String field, int maxBytes) {
        long lenPos = pos;
        long len = u64(field + " length");
        if (len < 0 || len > remaining() || len > maxBytes) {
            throw error(lenPos, field, "string length " + Long.toUnsignedString(len) + " exceeds the "
                    + Math.min(remaining(), maxBytes) + " bytes allowed there");
        }
        long at = take(len, field);
        byte[] bytes = seg.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private int u32(String field) {
        return seg.get(I32, take(4, field));
    }

    private long u64(String field) {
        return seg.get(I64, take(8, field));
    }

    /** Reserves n bytes at the cursor and returns their offset. */
    private long take(long n, String field) {
        if (n > remaining()) {
            throw error(pos, field, "the file ends after " + size + " bytes; it is truncated: download it again");
        }
        long at = pos;
        pos += n;
        return at;
    }

    private long remaining() {
        return size - pos;
    }

    private static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private ModelFormatException error(long offset, String field, String problem) {
        return new ModelFormatException(source + ": bad GGUF " + field + " at offset " + offset + ": " + problem);
    }
}
