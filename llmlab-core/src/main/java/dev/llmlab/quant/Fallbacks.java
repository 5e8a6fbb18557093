package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;

import java.util.Optional;

/**
 * Types for rows that do not fit a block: llama.cpp's tensor_type_fallback (256-value k-quants fall back to a
 * 32-value type of similar size), then F16 when even that does not fit. llama.cpp refuses 32-value types on such
 * rows; here they also fall back to F16, so models with odd widths (stories260K's 172-wide ffn_down) quantize.
 */
public final class Fallbacks {

    private Fallbacks() {
    }

    /** {@code type} when rows of {@code rowLength} fit its blocks, else the compatible type to use instead. */
    public static GgmlType compatible(GgmlType type, long rowLength) {
        if (rowLength % type.blockSize() == 0) {
            return type;
        }
        GgmlType smaller = smallerBlock(type).orElse(GgmlType.F16);
        return rowLength % smaller.blockSize() == 0 ? smaller : GgmlType.F16;
    }

    private static Optional<GgmlType> smallerBlock(GgmlType type) {
        return Optional.ofNullable(switch (type) {
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case IQ4_XS -> GgmlType.IQ4_NL;
            default -> null;
        });
    }
}
