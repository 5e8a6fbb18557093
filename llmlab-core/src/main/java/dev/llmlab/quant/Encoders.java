package dev.llmlab.quant;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one implementation of every weight encoding llmlab writes: float rows to a tensor type's bytes, reproducing
 * llama.cpp's reference quantizers (without an importance matrix) byte for byte. Used by the quantizer and the
 * synthetic-model writer.
 */
public final class Encoders {
    private static final Map<GgmlType, BlockEncoder> ENCODERS;

    static {
        Map<GgmlType, BlockEncoder> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, FloatEncoding::f32);
        m.put(GgmlType.F16, FloatEncoding::f16);
        m.put(GgmlType.BF16, FloatEncoding::bf16);
        m.put(GgmlType.Q8_0, LegacyQuants::q8_0);
        m.put(GgmlType.Q4_0, LegacyQuants::q4_0);
        m.put(GgmlType.Q4_1, LegacyQuants::q4_1);
        m.put(GgmlType.Q5_0, LegacyQuants::q5_0);
        m.put(GgmlType.Q5_1, LegacyQuants::q5_1);
        m.put(GgmlType.Q2_K, KQuants::q2_K);
        m.put(GgmlType.Q3_K, KQuants::q3_K);
        m.put(GgmlType.Q4_K, KQuants::q4_K);
        m.put(GgmlType.Q5_K, KQuants::q5_K);
        m.put(GgmlType.Q6_K, KQuants::q6_K);
        m.put(GgmlType.IQ4_NL, Iq4Quants::iq4_nl);
        m.put(GgmlType.IQ4_XS, Iq4Quants::iq4_xs);
        ENCODERS = Collections.unmodifiableMap(m);
    }

    private Encoders() {
    }

    /** The types llmlab can encode weights into. */
    public static Set<GgmlType> supportedTypes() {
        return ENCODERS.keySet();
    }

    public static boolean supports(GgmlType type) {
        return ENCODERS.containsKey(type);
    }

    /** The encoder of {@code type}, or an error naming the supported types. */
    public static BlockEncoder forType(GgmlType type) {
        BlockEncoder e = ENCODERS.get(Objects.requireNonNull(type, "type"));
        if (e == null) {
            throw new InvalidRequestException("cannot encode weights as " + type + "; supported: "
                    + ENCODERS.keySet());
        }
        return e;
    }

    /**
     * Encodes {@code count} values from {@code src[srcOffset..]} into {@code dst[dstOffset..]}; {@code count} must
     * be a multiple of the type's block size. Returns the number of bytes written.
     */
    public static int encode(GgmlType type, float[] src, int srcOffset, int count, byte[] dst, int dstOffset) {
        BlockEncoder encoder = forType(type);
        if (count % type.blockSize() != 0) {
            throw new InvalidRequestException(count + " values are not a whole number of " + type + " blocks of "
                    + type.blockSize());
        }
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        int bytes = Math.toIntExact(type.bytesFor(count));
        Objects.checkFromIndexSize(dstOffset, bytes, dst.length);
        encoder.encode(src, srcOffset, count, dst, dstOffset);
        return bytes;
    }
}
