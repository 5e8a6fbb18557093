package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;

/**
 * The weight type chosen for a load, and why (shown on the load line).
 *
 * @param matrixType type every weight matrix is converted to at load, or null to keep the stored types
 * @param reason     what was chosen and why, e.g. {@code Q8_0 (auto: 1.1B parameters > 1B; --dtype to override)}
 */
public record WeightPlan(GgmlType matrixType, String reason) {

    /** Keep the stored types. */
    public static WeightPlan asStored(String reason) {
        return new WeightPlan(null, reason);
    }
}
