package dev.llmlab.modify;

import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Checksums of a model's content: every tensor's bytes and every metadata value, deep (arrays by content). */
record ModelDigest(Map<String, String> metadata, Map<String, String> tensors) {

    static ModelDigest of(GgufModel model) {
        Map<String, String> md = new LinkedHashMap<>();
        model.metadata().forEach((k, v) -> md.put(k, v.type() + "/" + v.elementType() + "/" + deep(v.value())));
        Map<String, String> ts = new LinkedHashMap<>();
        for (GgufModel.Tensor t : model.tensors()) {
            ts.put(t.name(), t.type() + Arrays.toString(t.shape()) + "#" + crc(t.data()));
        }
        return new ModelDigest(md, ts);
    }

    static long crc(MemorySegment data) {
        CRC32C crc = new CRC32C();
        crc.update(data.asByteBuffer());
        return crc.getValue();
    }

    private static String deep(Object value) {
        return switch (value) {
            case long[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case List<?> l -> Integer.toHexString(l.stream().map(e -> e instanceof GgufValue g ? deep(g.value())
                    : String.valueOf(e)).toList().hashCode()) + "x" + l.size();
            default -> String.valueOf(value);
        };
    }

    /** The floats of an F32 tensor. */
    static float[] floats(GgufModel.Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }
}
