package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The weight type asked for at load ({@code --dtype}): a type every weight matrix is converted to, or AUTO (Hugging
 * Face checkpoints over {@link #AUTO_QUANTIZE_ABOVE_PARAMETERS} parameters load as Q8_0, everything else as stored).
 */
public enum WeightDtype {
    AUTO(null),
    F32(GgmlType.F32),
    F16(GgmlType.F16),
    BF16(GgmlType.BF16),
    Q8_0(GgmlType.Q8_0),
    Q4_0(GgmlType.Q4_0);

    /** Checkpoints with more parameters than this load as Q8_0 unless told otherwise (as the Python seed does). */
    public static final long AUTO_QUANTIZE_ABOVE_PARAMETERS = 1_000_000_000L;

    private final GgmlType type;

    WeightDtype(GgmlType type) {
        this.type = type;
    }

    /** The type, or null for AUTO. */
    public GgmlType type() {
        return type;
    }

    /** {@code auto}, {@code f32}, {@code f16}, {@code bf16}, {@code q8_0}, {@code q4_0} (any case). */
    public static WeightDtype parse(String text) {
        for (WeightDtype d : values()) {
            if (d.name().equalsIgnoreCase(text.strip())) {
                return d;
            }
        }
        throw new InvalidRequestException("unknown weight type '" + text + "'; valid: " + Arrays.stream(values())
                .map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** What to load a checkpoint of {@code parameters} weights as, and why. */
    public WeightPlan plan(long parameters, boolean quantizeLargeCheckpoints, String storedTypes) {
        if (this != AUTO) {
            return new WeightPlan(type, type + " (--dtype " + name().toLowerCase(Locale.ROOT) + ")");
        }
        if (quantizeLargeCheckpoints && parameters > AUTO_QUANTIZE_ABOVE_PARAMETERS) {
            return new WeightPlan(GgmlType.Q8_0, "Q8_0 (auto: " + billions(parameters)
                    + " parameters > 1B; --dtype to override)");
        }
        return WeightPlan.asStored(quantizeLargeCheckpoints
                ? storedTypes + " as stored (auto: " + billions(parameters) + " parameters <= 1B)" : "");
    }

    /** e.g. {@code 1.1B}, {@code 124M}, {@code 3.3M}. */
    private static String billions(long parameters) {
        return parameters >= 1e9 ? String.format(Locale.ROOT, "%.1fB", parameters / 1e9)
                : parameters >= 1e7 ? String.format(Locale.ROOT, "%.0fM", parameters / 1e6)
                : String.format(Locale.ROOT, "%.1fM", parameters / 1e6);
    }
}
