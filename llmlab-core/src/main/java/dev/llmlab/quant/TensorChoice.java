package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;

/**
 * The type the quantizer chose for one tensor, and why when it is not the target's rule.
 *
 * @param from     the tensor's type in the source model
 * @param to       its type in the result
 * @param elements its number of values
 * @param fallback why {@code to} differs from what the target asked (rows that do not fit its blocks), or empty
 */
public record TensorChoice(String name, GgmlType from, GgmlType to, long elements, String fallback) {

    public boolean isFallback() {
        return !fallback.isEmpty();
    }

    /** The tensor is carried over unchanged (same bytes). */
    public boolean isKept() {
        return from == to;
    }
}
