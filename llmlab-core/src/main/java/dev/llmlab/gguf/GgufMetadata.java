package dev.llmlab.gguf;

import dev.llmlab.error.ModelFormatException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors whose errors name the file and
 * the key. Immutable.
 */
public final class GgufMetadata {
    private final String source;
    private final Map<String, GgufValue> entries;

    public GgufMetadata(String source, Map<String, GgufValue> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Where the metadata came from (a file path), used in error messages. */
    public String source() {
        return source;
    }

    public Map<String, GgufValue> entries() {
        return entries;
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public String string(String key) {
        return optString(key).orElseThrow(() -> missing(key, "string"));
    }

    public Optional<String> optString(String key) {
        return get(key).map(v -> scalar(key, v, String.class, "string"));
    }

    public long integer(String key) {
        OptionalLong v = optInteger(key);
        if (v.isEmpty()) {
            throw missing(key, "integer");
        }
        return v.getAsLong();
    }

    public OptionalLong optInteger(String key) {
        GgufValue v = entries.get(key);
        return v == null ? OptionalLong.empty() : OptionalLong.of(scalar(key, v, Long.class, "integer"));
    }

    /** An integer that must fit in a non-negative int (dimensions, counts). */
    public int count(String key) {
        return checkedCount(key, integer(key));
    }

    public int count(String key, int defaultValue) {
        OptionalLong v = optInteger(key);
        return v.isPresent() ? checkedCount(key, v.getAsLong()) : defaultValue;
    }

    public float float32(String key) {
        return optFloat(key).orElseThrow(() -> missing(key, "float"));
    }

    public Optional<Float> optFloat(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(switch (v.value()) {
            case Float f -> f;
            case Double d -> d.floatValue();
            case Long l -> l.floatValue();
            default -> throw wrongType(key, v, "number");
        });
    }

    public boolean bool(String key, boolean defaultValue) {
        GgufValue v = entries.get(key);
        return v == null ? defaultValue : scalar(key, v, Boolean.class, "bool");
    }

    public List<String> stringArray(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            throw missing(key, "array of strings");
        }
        if (v.elementType() != GgufValueType.STRING) {
            throw wrongType(key, v, "array of strings");
        }
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) v.value();
        return list;
    }

    public Optional<float[]> optFloatArray(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(switch (v.value()) {
            case float[] a -> a;
            case double[] a -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    f[i] = (float) a[i];
                }
                yield f;
            }
            default -> throw wrongType(key, v, "array of floats");
        });
    }

    public Optional<int[]> optIntArray(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v.value() instanceof long[] a)) {
            throw wrongType(key, v, "array of integers");
        }
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) {
                throw new ModelFormatException(source + ": metadata '" + key + "' element " + i + " = " + a[i]
                        + " does not fit a 32-bit integer");
            }
            out[i] = (int) a[i];
        }
        return Optional.of(out);
    }

    private <T> T scalar(String key, GgufValue v, Class<T> javaType, String expected) {
        if (!javaType.isInstance(v.value())) {
            throw wrongType(key, v, expected);
        }
        return javaType.cast(v.value());
    }

    private int checkedCount(String key, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ModelFormatException(source + ": metadata '" + key + "' = " + value
                    + " is out of range (expected 0.." + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private ModelFormatException missing(String key, String expected) {
        return new ModelFormatException(source + ": required metadata key '" + key + "' (" + expected
                + ") is missing; the file was not written for this architecture or is incomplete");
    }

    private ModelFormatException wrongType(String key, GgufValue v, String expected) {
        String actual = v.type() == GgufValueType.ARRAY ? "array of " + v.elementType() : v.type().toString();
        return new ModelFormatException(source + ": metadata '" + key + "' is " + actual + ", expected " + expected);
    }
}
