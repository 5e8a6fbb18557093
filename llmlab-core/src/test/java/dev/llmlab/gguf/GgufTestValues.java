package dev.llmlab.gguf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Arbitrary GGUF metadata values of every type, and deep equality for them (records compare arrays by reference). */
final class GgufTestValues {
    private static final int MAX_ARRAY = 12;

    private GgufTestValues() {
    }

    /** Unicode text without unpaired surrogates (those cannot be UTF-8), including supplementary characters. */
    static Arbitrary<String> text(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(maxCodePoints).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    static Arbitrary<GgufValue> anyValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar()),
                Tuple.of(3, array(0)));
    }

    static Arbitrary<GgufValue> scalar() {
        return Arbitraries.of(GgufValueType.values())
                .filter(t -> t != GgufValueType.ARRAY)
                .flatMap(t -> scalarValue(t).map(v -> new GgufValue(t, null, v)));
    }

    /** Arrays of any element type; arrays of arrays down to {@code depth} 2. */
    static Arbitrary<GgufValue> array(int depth) {
        Arbitrary<GgufValueType> elementTypes = depth >= 2
                ? Arbitraries.of(GgufValueType.values()).filter(t -> t != GgufValueType.ARRAY)
                : Arbitraries.of(GgufValueType.values());
        return elementTypes.flatMap(t -> arrayValue(t, depth).map(v -> new GgufValue(GgufValueType.ARRAY, t, v)));
    }

    private static Arbitrary<?> scalarValue(GgufValueType t) {
        return switch (t) {
            case UINT8 -> Arbitraries.longs().between(0, 0xFF);
            case INT8 -> Arbitraries.longs().between(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> Arbitraries.longs().between(0, 0xFFFF);
            case INT16 -> Arbitraries.longs().between(Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> Arbitraries.longs().between(0, 0xFFFF_FFFFL);
            case INT32 -> Arbitraries.longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT64, INT64 -> Arbitraries.longs();
            case FLOAT32 -> Arbitraries.floats().withSpecialValue(Float.NaN).withSpecialValue(Float.NEGATIVE_INFINITY);
            case FLOAT64 -> Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0);
            case BOOL -> Arbitraries.of(true, false);
            case STRING -> text(24);
            case ARRAY -> throw new IllegalArgumentException("not a scalar");
        };
    }

    private static Arbitrary<?> arrayValue(GgufValueType t, int depth) {
        return switch (t) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> scalarValue(t).map(v -> (Long) v)
                    .list().ofMaxSize(MAX_ARRAY).map(l -> l.stream().mapToLong(Long::longValue).toArray());
            case FLOAT32 -> Arbitraries.floats().list().ofMaxSize(MAX_ARRAY).map(l -> {
                float[] a = new float[l.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = l.get(i);
                }
                return a;
            });
            case FLOAT64 -> Arbitraries.doubles().list().ofMaxSize(MAX_ARRAY)
                    .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
            case BOOL -> Arbitraries.of(true, false).list().ofMaxSize(MAX_ARRAY).map(l -> {
                boolean[] a = new boolean[l.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = l.get(i);
                }
                return a;
            });
            case STRING -> text(10).list().ofMaxSize(MAX_ARRAY).map(List::copyOf);
            case ARRAY -> Arbitraries.lazy(() -> array(depth + 1)).list().ofMaxSize(4).map(List::copyOf);
        };
    }

    /** Tensor element types with small and large blocks, float and integer. */
    static Arbitrary<GgmlType> tensorType() {
        return Arbitraries.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.I8,
                GgmlType.I32, GgmlType.F64, GgmlType.Q4_K, GgmlType.Q6_K);
    }

    /** A small shape for {@code type}: 1 to 4 dims, row length a multiple of the block, possibly empty. */
    static Arbitrary<long[]> shape(GgmlType type) {
        Arbitrary<Long> rowBlocks = Arbitraries.longs().between(0, 3);
        Arbitrary<List<Long>> outer = Arbitraries.longs().between(1, 5).list().ofMaxSize(3);
        return Combinators.combine(rowBlocks, outer).as((blocks, rest) -> {
            long[] s = new long[1 + rest.size()];
            s[0] = type.blockSize() == 1 ? blocks * 3 + 1 : blocks * type.blockSize();
            for (int i = 0; i < rest.size(); i++) {
                s[i + 1] = rest.get(i);
            }
            return s;
        });
    }

    /** Deep equality of two values, arrays by content and floats by bits. */
    static boolean sameValue(GgufValue a, GgufValue b) {
        return a.type() == b.type() && a.elementType() == b.elementType() && sameJava(a.value(), b.value());
    }

    private static boolean sameJava(Object a, Object b) {
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                Object x = la.get(i);
                Object y = lb.get(i);
                boolean same = x instanceof GgufValue vx && y instanceof GgufValue vy ? sameValue(vx, vy)
                        : Objects.equals(x, y);
                if (!same) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof float[] fa && b instanceof float[] fb) {
            return Arrays.equals(rawBits(fa), rawBits(fb));
        }
        if (a instanceof Float fa && b instanceof Float fb) {
            return Float.floatToRawIntBits(fa) == Float.floatToRawIntBits(fb);
        }
        if (a instanceof Double da && b instanceof Double db) {
            return Double.doubleToRawLongBits(da) == Double.doubleToRawLongBits(db);
        }
        return Objects.deepEquals(a, b);
    }

    private static int[] rawBits(float[] a) {
        int[] bits = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            bits[i] = Float.floatToRawIntBits(a[i]);
        }
        return bits;
    }
}
