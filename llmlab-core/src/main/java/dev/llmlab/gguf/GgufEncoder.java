package dev.llmlab.gguf;

import dev.llmlab.error.InvalidRequestException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Serializes a GGUF v3 header (magic, counts, metadata, tensor infos) into bytes, checking every value against its
 * declared type so that what is written reads back identically, in llmlab and in llama.cpp.
 */
final class GgufEncoder {
    static final int VERSION = 3;

    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    private GgufEncoder() {
    }

    /** The header bytes, unpadded; {@code offsets[i]} is tensor i's offset within the data section. */
    static byte[] header(Map<String, GgufValue> metadata, List<GgufWriter.TensorSpec> tensors, long[] offsets) {
        GgufEncoder e = new GgufEncoder();
        e.u32(GgufReader.MAGIC);
        e.u32(VERSION);
        e.u64(tensors.size());
        e.u64(metadata.size());
        metadata.forEach((key, value) -> {
            e.string(key, "metadata key '" + key + "'");
            e.u32(value.type().id());
            e.value(key, value, 0);
        });
        for (int i = 0; i < tensors.size(); i++) {
            GgufWriter.TensorSpec t = tensors.get(i);
            e.string(t.name(), "tensor name '" + t.name() + "'");
            long[] shape = t.shape();
            e.u32(shape.length);
            for (long d : shape) {
                e.u64(d);
            }
            e.u32(t.type().id());
            e.u64(offsets[i]);
        }
        return Arrays.copyOf(e.buf.array(), e.buf.position());
    }

    /** Checks that {@code value} can be written (Java type matches the GGUF type, integers in range, valid UTF-8). */
    static void check(String key, GgufValue value) {
        new GgufEncoder().value(key, value, 0);
    }

    /** UTF-8 bytes of a string; unpaired surrogates are rejected rather than silently replaced. */
    static byte[] utf8(String s, String what) {
        return new GgufEncoder().encode(s, what);
    }

    private void value(String key, GgufValue v, int depth) {
        if (v.type() == GgufValueType.ARRAY) {
            array(key, v.elementType(), v.value(), depth);
        } else {
            scalar(key, v.type(), v.value());
        }
    }

    private void scalar(String key, GgufValueType type, Object value) {
        switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> integer(key, type, as(key, type, value, Long.class));
            case FLOAT32 -> buf(4).putFloat(as(key, type, value, Float.class));
            case FLOAT64 -> buf(8).putDouble(as(key, type, value, Double.class));
            case BOOL -> buf(1).put((byte) (as(key, type, value, Boolean.class) ? 1 : 0));
            case STRING -> string(as(key, type, value, String.class), "metadata '" + key + "'");
            case ARRAY -> throw new IllegalStateException("arrays are handled by array()");
        }
    }

    private void array(String key, GgufValueType elementType, Object value, int depth) {
        if (elementType == GgufValueType.ARRAY && depth >= GgufReader.MAX_ARRAY_NESTING) {
            throw bad(key, "arrays are nested deeper than " + GgufReader.MAX_ARRAY_NESTING);
        }
        u32(elementType.id());
        switch (elementType) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                long[] a = arrayOf(key, elementType, value, long[].class);
                u64(a.length);
                for (long x : a) {
                    integer(key, elementType, x);
                }
            }
            case FLOAT32 -> {
                float[] a = arrayOf(key, elementType, value, float[].class);
                u64(a.length);
                ByteBuffer b = buf(4L * a.length);
                for (float x : a) {
                    b.putFloat(x);
                }
            }
            case FLOAT64 -> {
                double[] a = arrayOf(key, elementType, value, double[].class);
                u64(a.length);
                ByteBuffer b = buf(8L * a.length);
                for (double x : a) {
                    b.putDouble(x);
                }
            }
            case BOOL -> {
                boolean[] a = arrayOf(key, elementType, value, boolean[].class);
                u64(a.length);
                ByteBuffer b = buf(a.length);
                for (boolean x : a) {
                    b.put((byte) (x ? 1 : 0));
                }
            }
            case STRING -> {
                List<?> a = arrayOf(key, elementType, value, List.class);
                u64(a.size());
                for (int i = 0; i < a.size(); i++) {
                    if (!(a.get(i) instanceof String s)) {
                        throw bad(key, "element " + i + " of an array of STRING is not a String");
                    }
                    string(s, "metadata '" + key + "' element " + i);
                }
            }
            case ARRAY -> {
                List<?> a = arrayOf(key, elementType, value, List.class);
                u64(a.size());
                for (int i = 0; i < a.size(); i++) {
                    if (!(a.get(i) instanceof GgufValue inner) || inner.type() != GgufValueType.ARRAY) {
                        throw bad(key, "element " + i + " of an array of ARRAY is not an array GgufValue");
                    }
                    array(key, inner.elementType(), inner.value(), depth + 1);
                }
            }
        }
    }

    private void integer(String key, GgufValueType type, long v) {
        boolean inRange = switch (type) {
            case UINT8 -> v >= 0 && v <= 0xFF;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true; // UINT64 keeps its bits in a long; INT64 is a long
        };
        if (!inRange) {
            throw bad(key, "value " + v + " does not fit " + type);
        }
        switch (type) {
            case UINT8, INT8 -> buf(1).put((byte) v);
            case UINT16, INT16 -> buf(2).putShort((short) v);
            case UINT32, INT32 -> buf(4).putInt((int) v);
            default -> buf(8).putLong(v);
        }
    }

    private static <T> T as(String key, GgufValueType type, Object value, Class<T> javaType) {
        if (!javaType.isInstance(value)) {
            throw bad(key, type + " needs a " + javaType.getSimpleName() + " value, got "
                    + value.getClass().getSimpleName());
        }
        return javaType.cast(value);
    }

    private static <T> T arrayOf(String key, GgufValueType elementType, Object value, Class<T> javaType) {
        if (!javaType.isInstance(value)) {
            throw bad(key, "an array of " + elementType + " needs a " + javaType.getSimpleName() + ", got "
                    + value.getClass().getSimpleName());
        }
        return javaType.cast(value);
    }

    private void string(String s, String what) {
        byte[] bytes = encode(s, what);
        u64(bytes.length);
        buf(bytes.length).put(bytes);
    }

    private byte[] encode(String s, String what) {
        try {
            ByteBuffer encoded = utf8.reset().encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(what + " is not valid Unicode (unpaired surrogate); it cannot be "
                    + "written as UTF-8");
        }
    }

    private void u32(int v) {
        buf(4).putInt(v);
    }

    private void u64(long v) {
        buf(8).putLong(v);
    }

    /** The buffer, grown so that {@code n} more bytes fit. */
    private ByteBuffer buf(long n) {
        if (n > buf.remaining()) {
            long needed = buf.position() + n;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new InvalidRequestException("GGUF header would exceed 2 GB; the metadata is too large");
            }
            int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.capacity()));
            ByteBuffer grown = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
            grown.put(buf.flip());
            buf = grown;
        }
        return buf;
    }

    private static InvalidRequestException bad(String key, String problem) {
        return new InvalidRequestException("cannot write GGUF metadata '" + key + "': " + problem);
    }
}
