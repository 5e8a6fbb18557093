package dev.llmlab.quant;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a model is quantized to: a plain type (every quantizable weight gets it, like {@code llama-quantize --pure})
 * or a mix (a base type, with more bits for the tensors that need them; see {@link MixRules}).
 */
public enum QuantTarget {
    F32(GgmlType.F32, 0, false),
    F16(GgmlType.F16, 1, false),
    BF16(GgmlType.BF16, 32, false),
    Q8_0(GgmlType.Q8_0, 7, false),
    Q4_0(GgmlType.Q4_0, 2, false),
    Q4_1(GgmlType.Q4_1, 3, false),
    Q5_0(GgmlType.Q5_0, 8, false),
    Q5_1(GgmlType.Q5_1, 9, false),
    Q2_K(GgmlType.Q2_K, 10, false),
    Q3_K(GgmlType.Q3_K, 11, false),
    Q4_K(GgmlType.Q4_K, 14, false),
    Q5_K(GgmlType.Q5_K, 16, false),
    Q6_K(GgmlType.Q6_K, 18, false),
    IQ4_NL(GgmlType.IQ4_NL, 25, false),
    IQ4_XS(GgmlType.IQ4_XS, 30, false),
    Q3_K_M(GgmlType.Q3_K, 12, true),
    Q4_K_M(GgmlType.Q4_K, 15, true),
    Q5_K_M(GgmlType.Q5_K, 17, true);

    private final GgmlType baseType;
    private final int llamaFileType;
    private final boolean mix;

    QuantTarget(GgmlType baseType, int llamaFileType, boolean mix) {
        this.baseType = baseType;
        this.llamaFileType = llamaFileType;
        this.mix = mix;
    }

    /** The type most weights get. */
    public GgmlType baseType() {
        return baseType;
    }

    /**
     * llama.cpp's {@code llama_ftype} number, stored as {@code general.file_type} (plain K types are recorded as
     * the "_S" file types, the nearest llama.cpp has).
     */
    public int llamaFileType() {
        return llamaFileType;
    }

    /** Whether some tensors get other types than the base type. */
    public boolean isMix() {
        return mix;
    }

    /** The plain target of a tensor type (its {@code general.file_type}). */
    public static QuantTarget plain(GgmlType type) {
        for (QuantTarget t : values()) {
            if (!t.mix && t.baseType == type) {
                return t;
            }
        }
        throw new InvalidRequestException("cannot quantize to " + type + "; valid: " + validNames());
    }

    /** Parses a name such as {@code q4_k_m} or {@code Q8_0}, case-insensitively. */
    public static QuantTarget parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("unknown quantization type '" + name + "'; valid: " + validNames());
        }
    }

    public static String validNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
