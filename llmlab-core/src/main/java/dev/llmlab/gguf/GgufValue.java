package dev.llmlab.gguf;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One typed GGUF metadata value. Scalars: integer types as {@link Long} (UINT64 keeps its bits), FLOAT32 as
 * {@link Float}, FLOAT64 as {@link Double}, BOOL as {@link Boolean}, STRING as {@link String}. Arrays:
 * integer elements as {@code long[]}, FLOAT32 as {@code float[]}, FLOAT64 as {@code double[]}, BOOL as
 * {@code boolean[]}, STRING as {@code List<String>}, nested arrays as {@code List<GgufValue>}.
 *
 * @param type        the value's type
 * @param elementType for arrays, the element type; otherwise null
 * @param value       the Java value, as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType is required for arrays and only for arrays");
        }
    }

    public static GgufValue ofString(String s) {
        return new GgufValue(GgufValueType.STRING, null, s);
    }

    public static GgufValue ofUint32(long v) {
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue ofInt32(int v) {
        return new GgufValue(GgufValueType.INT32, null, (long) v);
    }

    public static GgufValue ofUint64(long v) {
        return new GgufValue(GgufValueType.UINT64, null, v);
    }

    public static GgufValue ofFloat32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, v);
    }

    public static GgufValue ofBool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue ofStrings(List<String> v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(v));
    }

    public static GgufValue ofFloats(float[] v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, v.clone());
    }

    public static GgufValue ofInts(GgufValueType elementType, long[] v) {
        return new GgufValue(GgufValueType.ARRAY, elementType, v.clone());
    }

    /** Number of elements for arrays, 1 for scalars. */
    public int length() {
        return switch (value) {
            case long[] a -> a.length;
            case float[] a -> a.length;
            case double[] a -> a.length;
            case boolean[] a -> a.length;
            case List<?> l -> l.size();
            default -> 1;
        };
    }

    @Override
    public String toString() {
        return switch (value) {
            case long[] a -> summary(Arrays.toString(a), a.length);
            case float[] a -> summary(Arrays.toString(a), a.length);
            case double[] a -> summary(Arrays.toString(a), a.length);
            case boolean[] a -> summary(Arrays.toString(a), a.length);
            case List<?> l -> summary(l.toString(), l.size());
            case String s -> '"' + s + '"';
            default -> value.toString();
        };
    }

    private static String summary(String full, int n) {
        return full.length() <= 80 ? full : full.substring(0, 76) + " ...] (" + n + " items)";
    }
}
