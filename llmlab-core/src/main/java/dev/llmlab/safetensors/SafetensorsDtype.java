package dev.llmlab.safetensors;

import dev.llmlab.gguf.GgmlType;

import java.util.Optional;

/** The safetensors element types llmlab computes with, and their GGML equivalents. */
public enum SafetensorsDtype {
    F32(GgmlType.F32, 4),
    F16(GgmlType.F16, 2),
    BF16(GgmlType.BF16, 2);

    private final GgmlType ggmlType;
    private final int bytes;

    SafetensorsDtype(GgmlType ggmlType, int bytes) {
        this.ggmlType = ggmlType;
        this.bytes = bytes;
    }

    public GgmlType ggmlType() {
        return ggmlType;
    }

    public int bytes() {
        return bytes;
    }

    /** The dtype of that name ({@code "F32"}, {@code "F16"}, {@code "BF16"}), or empty for any other. */
    public static Optional<SafetensorsDtype> byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
